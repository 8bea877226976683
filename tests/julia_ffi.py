#!/usr/bin/env python3
"""julia_ffi.py -- check bindings/julia/XPSignal.jl against the C API
without Julia: every ccall's symbol, arity, argument and return types
against the prototypes in the public headers (lib/xpsignal.h, run through
the C preprocessor), and every isbits struct mirror against its C struct,
member for member (names, order, types) and byte for byte (offsetof and
sizeof from a small compiled C program), and every integer code it
hard-codes for a C enumerator or macro (CODES, values from another compiled
program) and name it passes to a C parse function (PARSED, parsed by the
library where --lib can be linked).  Types are judged by the x86-64
SysV ABI, which is what Julia's isbits layout and ccall follow there.

usage: julia_ffi.py [--srcdir DIR] [--lib libxpsignal.so] [FILE.jl]
CC and CPPFLAGS from the environment pick the compiler and add flags.
Prints one line per problem and a summary; exits 1 on any problem.
Standard library only.
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile

# ---------------------------------------------------------------- tables

# ccall(_sym(VAR), ...) with a variable for the name: the names VAR can
# hold.  Each must appear as a :symbol in the file, and every :xp... symbol
# in the file must be called directly or be listed here, so a new name in
# the file's ternary or caller is not left unchecked.
DYNAMIC = {
    "fn": ["xps_check_COLA", "xps_check_NOLA"],      # _check_overlap
    "ordfn": ["xps_buttord", "xps_cheb1ord", "xps_cheb2ord", "xps_ellipord"],  # iirdesign
}

# Julia field names that differ from the C member's: (struct, field) ->
# member.  None today: a field of another name fails until listed here.
FIELD_NAMES = {}

# Integer codes the file hard-codes, by site, -> the C enumerator, macro or
# expression each must equal; None: reviewed, not a C code (an axis, a
# count, a sentinel xps.h documents only by value).  Sites: "D[key]" (a
# Dict's "key" => n; D the const's name, else "FN:Dict"), "C" (const C =
# n), "T[E]" (element E of const tuple T, indexed [code + 1]), "FN: V == n"
# (a comparison), "FN: V nothing ? n", "FN: _with f" (a literal option
# field), "FN: SYM arg k" (a literal ccall argument), "DLDataType(T)" (its
# type code; bits are checked against T).  A site missing here fails, and
# so does an entry that no longer names a site.
CODES = {
    "_DETREND[constant]": "XPS_DETREND_CONSTANT", "_DETREND[c]": "XPS_DETREND_CONSTANT",
    "_DETREND[linear]": "XPS_DETREND_LINEAR", "_DETREND[l]": "XPS_DETREND_LINEAR",
    "_DETREND[none]": "XPS_DETREND_NONE", "_detrend_code: d nothing ? 0": "XPS_DETREND_NONE",
    "detrend:Dict[constant]": "XPS_DETREND_CONSTANT", "detrend:Dict[c]": "XPS_DETREND_CONSTANT",
    "detrend:Dict[linear]": "XPS_DETREND_LINEAR", "detrend:Dict[l]": "XPS_DETREND_LINEAR",
    "detrend: code == 2": "XPS_DETREND_LINEAR", "detrend: b != 0": None,
    "detrend: xps_detrend arg 2": None,
    "_SCALING[density]": "XPS_SCALING_DENSITY", "_SCALING[spectrum]": "XPS_SCALING_SPECTRUM",
    "_STFT_SCALING[psd]": "XPS_SCALING_DENSITY",
    "_STFT_SCALING[spectrum]": "XPS_SCALING_SPECTRUM", "stft: sc == 1": "XPS_SCALING_SPECTRUM",
    "_AVERAGE[mean]": "XPS_AVERAGE_MEAN", "_AVERAGE[median]": "XPS_AVERAGE_MEDIAN",
    "_AVERAGE[median_mean]": "XPS_AVERAGE_MEDIAN_MEAN",
    "_MODE[psd]": "XPS_MODE_PSD", "_MODE[complex]": "XPS_MODE_COMPLEX",
    "_MODE[magnitude]": "XPS_MODE_MAGNITUDE", "_MODE[angle]": "XPS_MODE_ANGLE",
    "_MODE[phase]": "XPS_MODE_PHASE",
    "_BOUNDARY[even]": "XPS_BOUNDARY_EVEN", "_BOUNDARY[odd]": "XPS_BOUNDARY_ODD",
    "_BOUNDARY[constant]": "XPS_BOUNDARY_CONSTANT", "_BOUNDARY[zeros]": "XPS_BOUNDARY_ZEROS",
    "stft: boundary nothing ? 0": "XPS_BOUNDARY_NONE",
    "_PADTYPE[odd]": "XPS_PAD_ODD", "_PADTYPE[even]": "XPS_PAD_EVEN",
    "_PADTYPE[constant]": "XPS_PAD_CONSTANT", "_filtfilt_options: padtype nothing ? 0": "XPS_PAD_NONE",
    "_METHOD[pad]": "XPS_FILTFILT_PAD", "_METHOD[gust]": "XPS_FILTFILT_GUST",
    "_filtfilt_options: padlen nothing ? -1": None, "_filtfilt_options: irlen nothing ? -1": None,
    "_filtfilt_options: _with axis": None, "_spectral_options: _with axis": None,
    "istft: _with time_axis": None, "istft: _with freq_axis": None, "_window: _with nparams": None,
    "_spectral_f64: y nothing ? 0": None, "_freq_first: ndims(S) == 2": None,
    "_design_result: out == 0": "XPS_OUTPUT_BA", "_design_result: out == 1": "XPS_OUTPUT_ZPK",
    "iirdesign: ft == 0": "XPS_FTYPE_BUTTER", "iirdesign: ft == 1": "XPS_FTYPE_CHEBY1",
    "iirdesign: ft == 2": "XPS_FTYPE_CHEBY2", "iirdesign: ft == 3": "XPS_FTYPE_ELLIP",
    "iirdesign: length(p) == 1": None,
    "butter: bt == 0": "XPS_BTYPE_LOWPASS", "butter: bt == 1": "XPS_BTYPE_HIGHPASS",
    "_check: rc == 0": "XP_OK", "_check_layouts: sizeof(DLTensor) != 48": "sizeof(DLTensor)",
    "_jltype[Float32]": "XP_FLOAT32", "_jltype[Float64]": "XP_FLOAT64",
    "_jltype[ComplexF32]": "XP_COMPLEX64", "_jltype[ComplexF64]": "XP_COMPLEX128",
    "get_window: xps_get_window arg 5": "XP_FLOAT64",
    "_kDLCPU": "kDLCPU", "DLDataType(Float32)": "kDLFloat", "DLDataType(Float64)": "kDLFloat",
    "DLDataType(ComplexF32)": "kDLComplex", "DLDataType(ComplexF64)": "kDLComplex",
}
# Strings the file passes to C parse functions: keyword defaults (and a
# "name," * _num(..) prefix, parsed with a parameter 1) of these arguments.
PARSED = {"window": ("xps_window_spec_parse", "xps_window_spec"),
          "btype": ("xps_btype_parse", "xps_btype"), "ftype": ("xps_ftype_parse", "xps_ftype"),
          "output": ("xps_output_parse", "xps_output")}

# Scalars by (kind, bytes): i signed, u unsigned, f float, z complex,
# b bool, v void, c plain char (either sign).  Julia's C aliases are the
# same types as the sized ones (Cint === Int32), so both spellings are here.
JULIA_SCALARS = {
    "Int8": ("i", 1), "Cchar": ("i", 1), "Cschar": ("i", 1),
    "UInt8": ("u", 1), "Cuchar": ("u", 1),
    "Int16": ("i", 2), "Cshort": ("i", 2), "UInt16": ("u", 2), "Cushort": ("u", 2),
    "Int32": ("i", 4), "Cint": ("i", 4), "UInt32": ("u", 4), "Cuint": ("u", 4),
    "Int64": ("i", 8), "Int": ("i", 8), "Clong": ("i", 8), "Clonglong": ("i", 8),
    "Cssize_t": ("i", 8), "Cptrdiff_t": ("i", 8), "Cintmax_t": ("i", 8),
    "UInt64": ("u", 8), "UInt": ("u", 8), "Culong": ("u", 8), "Culonglong": ("u", 8),
    "Csize_t": ("u", 8), "Cuintmax_t": ("u", 8),
    "Float32": ("f", 4), "Cfloat": ("f", 4), "Float64": ("f", 8), "Cdouble": ("f", 8),
    "ComplexF32": ("z", 8), "ComplexF64": ("z", 16), "Bool": ("b", 1),
    "Cvoid": ("v", 0), "Nothing": ("v", 0),
}
C_SCALARS = {
    "char": ("c", 1), "signed char": ("i", 1), "unsigned char": ("u", 1),
    "short": ("i", 2), "unsigned short": ("u", 2),
    "int": ("i", 4), "unsigned int": ("u", 4),
    "long": ("i", 8), "unsigned long": ("u", 8),
    "long long": ("i", 8), "unsigned long long": ("u", 8),
    "float": ("f", 4), "double": ("f", 8),
    "float _Complex": ("z", 8), "double _Complex": ("z", 16),
    "_Bool": ("b", 1), "void": ("v", 0),
    "int8_t": ("i", 1), "uint8_t": ("u", 1), "int16_t": ("i", 2), "uint16_t": ("u", 2),
    "int32_t": ("i", 4), "uint32_t": ("u", 4), "int64_t": ("i", 8), "uint64_t": ("u", 8),
    "size_t": ("u", 8), "ssize_t": ("i", 8), "ptrdiff_t": ("i", 8),
    "intptr_t": ("i", 8), "uintptr_t": ("u", 8),
}
# typedefs not followed further: their own names say what they are
C_LEAVES = {n for n in C_SCALARS if "_t" in n}
POINTER_TYPES = ("Ptr", "Ref")

problems = []


def problem(where, msg):
    problems.append("%s: %s" % (where, msg))


# ------------------------------------------------------------- the C side

class CType:
    """kind: scalar (name), enum (name), struct (name: the key), union,
    ptr (to), array (of, n; n None when unknown), func, unknown (name)."""
    def __init__(self, kind, name=None, to=None, n=None):
        self.kind, self.name, self.to, self.n = kind, name, to, n

    def __str__(self):
        if self.kind == "ptr":
            return str(self.to) + " *"
        if self.kind == "array":
            return "%s[%s]" % (self.to, "" if self.n is None else self.n)
        if self.kind in ("enum", "struct", "union"):
            return "%s %s" % (self.kind, self.name)
        return self.name or self.kind


C_TOKEN = re.compile(r'[A-Za-z_]\w*|\d[\w.]*|"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|\.\.\.|->|\S')
DROP = {"extern", "static", "inline", "__inline", "__inline__", "__extension__", "_Noreturn",
        "__restrict", "__restrict__", "restrict", "register", "_Thread_local", "__thread",
        "volatile", "__volatile__", "const", "__const"}
SKIP_PARENS = {"__attribute__", "__attribute", "__declspec", "__asm__", "__asm", "asm",
               "_Alignas", "_Static_assert"}
SPEC_WORDS = {"void", "char", "short", "int", "long", "float", "double", "signed", "unsigned",
              "_Bool", "_Complex", "__signed__", "__int128"}


def c_tokens(text, srcdir):
    """Tokens (text, 'file:line') of preprocessed text, qualifiers and
    attributes left out (they change neither ABI nor layout here)."""
    toks, fname, line = [], "?", 0
    for raw in text.split("\n"):
        m = re.match(r'#\s*(\d+)\s+"([^"]*)"', raw)
        if m:
            line, fname = int(m.group(1)), m.group(2)
            if fname.startswith(srcdir + "/"):
                fname = fname[len(srcdir) + 1:]
            continue
        if not raw.startswith("#"):
            for t in C_TOKEN.findall(raw):
                toks.append((t, "%s:%d" % (fname, line)))
        line += 1
    out, i = [], 0
    while i < len(toks):
        t = toks[i][0]
        if t in SKIP_PARENS and i + 1 < len(toks) and toks[i + 1][0] == "(":
            i = match_close(toks, i + 1, key=lambda x: x[0]) + 1
            continue
        if t not in DROP:
            out.append(toks[i])
        i += 1
    return out


def match_close(seq, i, key=lambda x: x):
    """Index of the bracket closing seq[i]."""
    depth = 0
    for j in range(i, len(seq)):
        t = key(seq[j])
        if t in "([{":
            depth += 1
        elif t in ")]}":
            depth -= 1
            if depth == 0:
                return j
    raise ValueError("unbalanced brackets")


def split_top(toks, sep):
    """toks split at sep outside brackets."""
    parts, cur, depth = [], [], 0
    for tok in toks:
        t = tok[0]
        if t in "([{":
            depth += 1
        elif t in ")]}":
            depth -= 1
        if t == sep and depth == 0:
            parts.append(cur)
            cur = []
        else:
            cur.append(tok)
    parts.append(cur)
    return parts


class CHeaders:
    def __init__(self, toks):
        self.typedefs = {}      # name -> CType
        self.structs = {}       # key -> (body tokens, where)
        self.funcs = {}         # name -> (ret, [(name, CType, where)], variadic, where)
        self.nanon = 0
        # top-level items: declarations up to ';', function bodies dropped
        item, depth = [], 0
        for tok in toks:
            t = tok[0]
            item.append(tok)
            if t in "([{":
                depth += 1
            elif t in ")]}":
                depth -= 1
            if depth == 0 and t == ";":
                self.item(item[:-1])
                item = []
            elif depth == 0 and t == "}":
                first = [x[0] for x in item].index("{")
                if first > 0 and item[first - 1][0] == ")":     # a function body
                    item = []

    def item(self, toks):
        if not toks:
            return
        try:
            typedef = toks[0][0] == "typedef"
            base, i = self.specifiers(toks, 1 if typedef else 0)
            for decl in split_top(toks[i:], ","):
                if not decl:
                    continue
                name, ctype, where, variadic = self.declarator(decl, base)
                if typedef:
                    if ctype.kind == "struct" and ctype.name.startswith("<anon"):
                        self.structs[name] = self.structs.pop(ctype.name)
                        ctype = CType("struct", name)
                    elif ctype.kind == "enum" and ctype.name is None:
                        ctype = CType("enum", name)
                    self.typedefs[name] = ctype
                elif ctype.kind == "func" and name:
                    self.funcs[name] = (ctype.to, ctype.n, variadic, where)
        except (ValueError, IndexError, KeyError):
            pass        # not a declaration this parser needs (used ones fail later)

    def specifiers(self, toks, i):
        """The base type at toks[i:]: (CType, index of the declarator)."""
        words = []
        while i < len(toks):
            t, where = toks[i]
            if t in SPEC_WORDS:
                words.append(t.replace("__signed__", "signed"))
            elif t in ("struct", "union", "enum"):
                tag = None
                if toks[i + 1][0] not in "{":
                    i += 1
                    tag = toks[i][0]
                if i + 1 < len(toks) and toks[i + 1][0] == "{":
                    end = match_close(toks, i + 1, key=lambda x: x[0])
                    if t != "enum":
                        if tag is None:
                            self.nanon += 1
                            tag = "<anon%d>" % self.nanon
                        self.structs[tag] = (toks[i + 2:end], where)
                    i = end
                return CType(t, tag), i + 1
            elif not words and re.match(r"[A-Za-z_]\w*$", t) and (t in self.typedefs or t in C_LEAVES):
                return CType("typedef", t), i + 1
            else:
                break
            i += 1
        if not words:
            raise ValueError("no type")
        return CType("scalar", c_scalar_name(words)), i

    def declarator(self, toks, base):
        """(name, CType, where, variadic) of one declarator applied to base."""
        name, where, wrap, variadic, i = self.direct(toks, 0)
        if i != len(toks):
            raise ValueError("trailing tokens")
        return name, wrap(base), where, variadic

    def direct(self, toks, i):
        """Parse [*...] (NAME | '(' declarator ')' | nothing) suffixes."""
        nptr = 0
        while i < len(toks) and toks[i][0] == "*":
            nptr += 1
            i += 1
        name, where, inner, variadic = None, toks[i - 1][1] if i else toks[0][1], (lambda t: t), False
        if i < len(toks) and toks[i][0] == "(" and i + 1 < len(toks) and toks[i + 1][0] in ("*", "("):
            end = match_close(toks, i, key=lambda x: x[0])
            name, where, inner, variadic, j = self.direct(toks[:end], i + 1)
            if j != end:
                raise ValueError("bad declarator")
            i = end + 1
        elif i < len(toks) and re.match(r"[A-Za-z_]\w*$", toks[i][0]):
            name, where = toks[i]
            i += 1
        suffixes = []
        while i < len(toks) and toks[i][0] in "([":
            end = match_close(toks, i, key=lambda x: x[0])
            if toks[i][0] == "[":
                body = "".join(x[0] for x in toks[i + 1:end])
                suffixes.append(("array", int(body, 0) if body.isdigit() else None))
            else:
                params, va = self.params(toks[i + 1:end])
                suffixes.append(("func", params))
                variadic = variadic or va
            i = end + 1

        def wrap(t):        # *a[3]: an array of pointers; (*f)(void): inner last
            for _ in range(nptr):
                t = CType("ptr", to=t)
            for kind, arg in reversed(suffixes):
                t = CType("array", to=t, n=arg) if kind == "array" else CType("func", to=t, n=arg)
            return inner(t)
        return name, where, wrap, variadic, i

    def params(self, toks):
        if [t[0] for t in toks] in ([], ["void"]):
            return [], False
        out, variadic = [], False
        for p in split_top(toks, ","):
            if [t[0] for t in p] == ["..."]:
                variadic = True
                continue
            base, i = self.specifiers(p, 0)
            name, t, where, _ = self.declarator(p[i:] if i < len(p) else [], base) \
                if i < len(p) else (None, base, p[0][1], False)
            if t.kind == "array":       # parameters of array and function type
                t = CType("ptr", to=t.to)   # are pointers (C11 6.7.6.3)
            elif t.kind == "func":
                t = CType("ptr", to=t)
            out.append((name, t, where, " ".join(x[0] for x in p)))
        return out, variadic

    def resolve(self, t, depth=0):
        """t with typedefs followed (to C_LEAVES at most), all the way down."""
        if t.kind == "typedef":
            if t.name in C_LEAVES:
                return CType("scalar", t.name)
            if depth > 50 or t.name not in self.typedefs:
                return CType("unknown", t.name)
            return self.resolve(self.typedefs[t.name], depth + 1)
        if t.kind in ("ptr", "array"):
            return CType(t.kind, to=self.resolve(t.to, depth), n=t.n)
        return t

    def members(self, key):
        """[(name, CType, where)] of struct key, or a string saying why not."""
        body, _ = self.structs[key]
        out = []
        for decl in split_top(body, ";"):
            if not decl:
                continue
            if any(x[0] == ":" for x in decl):
                return "bit-fields are not supported"
            base, i = self.specifiers(decl, 0)
            for d in split_top(decl[i:], ","):
                name, t, where, _ = self.declarator(d, base)
                if name is None:
                    return "an anonymous member is not supported"
                out.append((name, t, where))
        return out

    def struct_key(self, cname):
        """The struct key of a typedef name or tag, or None."""
        if cname in self.typedefs:
            t = self.resolve(self.typedefs[cname])
            return t.name if t.kind == "struct" and t.name in self.structs else None
        return cname if cname in self.structs else None


def c_scalar_name(words):
    w = sorted(words)
    cx = "_Complex" in w
    w = [x for x in w if x != "_Complex"]
    nlong = w.count("long")
    uns = "unsigned" in w
    rest = [x for x in w if x not in ("long", "unsigned", "signed", "int")]
    if rest == ["char"]:
        name = "unsigned char" if uns else "signed char" if "signed" in w else "char"
    elif rest == ["short"]:
        name = "unsigned short" if uns else "short"
    elif rest in (["double"], ["float"]):
        name = ("long " if nlong else "") + rest[0]
    elif not rest:
        name = ("unsigned " if uns else "") + {0: "int", 1: "long", 2: "long long"}[nlong]
    else:
        name = " ".join(w)
    return name + (" _Complex" if cx else "")


# --------------------------------------------------------- the Julia side

def blank_julia(src):
    """src with comments and the insides of string and char literals turned
    to spaces (newlines kept), so that brackets and commas can be counted
    and positions still index src.  Interpolations in strings ($(...)) are
    code, and may hold strings of their own."""
    out = list(src)
    n = len(src)

    def blank(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    def code(i, stop_paren):
        depth = 0
        while i < n:
            c = src[i]
            if c == "#":
                if src.startswith("#=", i):
                    j, d = i + 2, 1
                    while j < n and d:
                        if src.startswith("#=", j):
                            d, j = d + 1, j + 2
                        elif src.startswith("=#", j):
                            d, j = d - 1, j + 2
                        else:
                            j += 1
                    blank(i, j)
                    i = j
                else:
                    j = src.find("\n", i)
                    j = n if j < 0 else j
                    blank(i, j)
                    i = j
                continue
            if c == '"' or c == "`":
                i = string(i)
                continue
            if c == "'":
                prev = src[i - 1] if i else " "
                if not (prev.isalnum() or prev in "_)]}'."):      # not an adjoint
                    m = re.compile(r"'(\\.[^']*|[^\\'])'").match(src, i)
                    if m:
                        blank(i + 1, m.end() - 1)
                        i = m.end()
                        continue
            if c in "([{":
                depth += 1
            elif c in ")]}":
                if depth == 0 and stop_paren:
                    return i + 1
                depth -= 1
            i += 1
        return i

    def string(i):
        q = '"""' if src.startswith('"""', i) else src[i]
        i += len(q)
        start = i
        while i < n and not src.startswith(q, i):
            if src[i] == "\\":
                i += 2
            elif src[i] == "$" and q != "`" and src.startswith("$(", i):
                blank(start, i)
                i = code(i + 2, True)
                start = i
            else:
                i += 1
        blank(start, i)
        return i + len(q)

    code(0, False)
    return "".join(out)


def jl_type(text):
    """A Julia type expression: a name, or (name, [params]), or an int."""
    toks = re.findall(r"[\w.]+|\S", text)
    pos = [0]

    def parse():
        t = toks[pos[0]]
        pos[0] += 1
        if t.isdigit():
            return int(t)
        if not re.match(r"[A-Za-z_][\w.]*$", t):
            raise ValueError(t)
        if pos[0] < len(toks) and toks[pos[0]] == "{":
            pos[0] += 1
            args = [parse()]
            while toks[pos[0]] == ",":
                pos[0] += 1
                args.append(parse())
            if toks[pos[0]] != "}":
                raise ValueError(toks[pos[0]])
            pos[0] += 1
            return (t, args)
        return t
    try:
        t = parse()
        if pos[0] != len(toks):
            raise ValueError("trailing")
        return t
    except (ValueError, IndexError):
        raise ValueError("cannot read the Julia type %r" % text.strip())


def jl_str(t):
    if isinstance(t, tuple):
        return "%s{%s}" % (t[0], ",".join(jl_str(a) for a in t[1]))
    return str(t)


def split_args(code, a, b):
    """(start, end) spans of the comma-separated parts of code[a:b]."""
    spans, depth, start = [], 0, a
    for k in range(a, b):
        c = code[k]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            spans.append((start, k))
            start = k + 1
    if code[start:b].strip():
        spans.append((start, b))
    return spans


def close_paren(code, i):
    depth = 0
    for k in range(i, len(code)):
        if code[k] in "([{":
            depth += 1
        elif code[k] in ")]}":
            depth -= 1
            if depth == 0:
                return k
    raise ValueError("unbalanced")


class Julia:
    def __init__(self, path, label):
        self.src = open(path, encoding="utf-8").read()
        self.code = blank_julia(self.src)
        self.label = label
        self.ccalls = []        # (line, [names], ret, [arg types], nargs passed)
        self.structs = {}       # name -> dict(line, cname, mutable, fields=[(name, type, line)])
        self.codes = []         # (site, value, line): see CODES
        self.parsed = []        # (argument, text, line): see PARSED
        self.read_ccalls()
        self.read_structs()
        self.read_codes()

    def where(self, pos):
        return "%s:%d" % (self.label, self.src.count("\n", 0, pos) + 1)

    def read_ccalls(self):
        code = self.code
        for m in re.finditer(r"@ccall\b|\bcglobal\b|\bccall\b", code):
            w = self.where(m.start())
            if m.group() != "ccall":
                problem(w, "%s is not understood by this check" % m.group())
                continue
            k = m.end()
            while k < len(code) and code[k] in " \t":
                k += 1
            if k >= len(code) or code[k] != "(":
                problem(w, "ccall not called as ccall(...)")
                continue
            end = close_paren(code, k)
            spans = split_args(code, k + 1, end)
            text = [self.src[a:b].strip() for a, b in spans]
            if len(text) < 3:
                problem(w, "ccall with fewer than 3 arguments")
                continue
            names = self.callee(text[0], w)
            if text[1] in ("cdecl", "stdcall", "fastcall", "thiscall", "llvmcall"):
                problem(w, "ccall with a calling convention is not understood by this check")
                continue
            tup = text[2]
            if not (tup.startswith("(") and tup.endswith(")")):
                problem(w, "ccall argument types %r are not a (T1, T2, ...) tuple" % tup)
                continue
            a = spans[2][0] + self.src[spans[2][0]:].index("(")
            types = [self.src[x:y].strip() for x, y in split_args(code, a + 1, close_paren(code, a))]
            try:
                ret = jl_type(text[1])
                args = [jl_type(t) for t in types]
            except ValueError as e:
                problem(w, "ccall: %s" % e)
                continue
            if any("..." in t for t in types):
                problem(w, "varargs ccall is not understood by this check")
                continue
            if len(text) - 3 != len(args):
                problem(w, "ccall %s: %d argument types but %d arguments"
                        % ("/".join(names) or "?", len(args), len(text) - 3))
            if names:
                self.ccalls.append((w, names, ret, args))
            for k, t in enumerate(text[3:], 1):
                if re.fullmatch(r"-?\d+", t):
                    self.code_at(m.start(), "%s arg %d" % ("/".join(names), k), int(t))
        # _sym gives a function's address for ccall; elsewhere it would be
        # an unchecked use of a library symbol
        for m in re.finditer(r"\b_sym\s*\(", code):
            before = code[:m.start()].rstrip()
            if not before.endswith("ccall(") and not re.search(r"\bfunction\s*$|^\s*$", before[-40:]):
                problem(self.where(m.start()), "_sym used outside a ccall's first argument")
        # every :xp... symbol is a checked function's name
        called = {n for _, names, _, _ in self.ccalls for n in names}
        for m in re.finditer(r"(?<![\w)\]}:]):(xps?_\w+)", code):
            if m.group(1) not in called:
                problem(self.where(m.start()), ":%s is neither ccall'd directly nor listed in "
                        "julia_ffi.py's DYNAMIC table" % m.group(1))

    def callee(self, text, w):
        m = re.match(r"_sym\(\s*:(\w+)\s*\)$", text) or \
            re.match(r"\(\s*:(\w+)\s*,.*\)$", text, re.S) or \
            re.match(r'\(\s*"(\w+)"\s*,.*\)$', text, re.S) or \
            re.match(r':(\w+)$|"(\w+)"$', text)
        if m:
            return [m.group(1) or m.group(2)]
        m = re.match(r"_sym\(\s*(\w+)\s*\)$", text)
        if m and m.group(1) in DYNAMIC:
            names = DYNAMIC[m.group(1)]
            for n in names:
                if not re.search(r"(?<![\w)\]}:]):%s\b" % n, self.code):
                    problem(w, "DYNAMIC[%r] lists %s, which the file never names"
                            % (m.group(1), n))
            return names
        problem(w, "ccall of %s: cannot tell which function (add it to DYNAMIC "
                "in tests/julia_ffi.py)" % text)
        return []

    def fn_at(self, pos):
        """The name of the top-level function (or method) around pos."""
        fns = re.findall(r"^(?:function\s+)?([A-Za-z_]\w*!?)\s*\(", self.code[:pos], re.M)
        return fns[-1] if fns else "?"

    def code_at(self, pos, what, value):
        self.codes.append(("%s: %s" % (self.fn_at(pos), what), value, self.where(pos)))

    def read_codes(self):
        code, src, num = self.code, self.src, r"(-?\d+)\b(?!\.)"
        for m in re.finditer(r"\bDict\(", code):
            d = re.search(r"const\s+(\w+)\s*=\s*$", code[:m.start()])
            name = d.group(1) if d else self.fn_at(m.start()) + ":Dict"
            for a, b in split_args(code, m.end(), close_paren(code, m.end() - 1)):
                p = re.fullmatch(r'\s*"(\w*)"\s*=>\s*' + num + r"\s*", src[a:b])
                if p:
                    self.codes.append(("%s[%s]" % (name, p.group(1)), int(p.group(2)),
                                       self.where(a)))
                elif "=>" in src[a:b]:
                    problem(self.where(a), "Dict entry %r not understood" % src[a:b].strip())
        for m in re.finditer(r"^const\s+(\w+)\s*=\s*(?:\w+\()?" + num + r"\)?\s*$", code, re.M):
            self.codes.append((m.group(1), int(m.group(2)), self.where(m.start())))
        for m in re.finditer(r"^const\s+(\w+)\s*=\s*\(([\w\s,]+)\)\s*$", code, re.M):
            for k, e in enumerate(x.strip() for x in m.group(2).split(",")):
                self.codes.append(("%s[%s]" % (m.group(1), e), k, self.where(m.start())))
            for u in re.finditer(r"\b%s\[([^\]]*)\]" % m.group(1), code):
                if not re.fullmatch(r"\s*\w+\s*\+\s*1\s*", u.group(1)):
                    problem(self.where(u.start()), "%s indexed other than [code + 1]" % m.group(1))
        for m in re.finditer(r"(?<![\w.])([A-Za-z_]\w*(?:\(\w+\))?)\s*(==|!=)=?\s*" + num, code):
            self.code_at(m.start(), "%s %s %s" % m.groups(), int(m.group(3)))
        for m in re.finditer(r"\b(\w+)\s*===\s*nothing\s*\?\s*" + num, code):
            self.code_at(m.start(), "%s nothing ? %s" % m.groups(), int(m.group(2)))
        for m in re.finditer(r"\b_with\(", code):
            for a, b in split_args(code, m.end(), close_paren(code, m.end() - 1)):
                for f in re.finditer(r"(?:^|;)\s*(\w+)\s*=\s*" + num + r"\s*$", code[a:b]):
                    self.code_at(m.start(), "_with " + f.group(1), int(f.group(2)))
        for m in re.finditer(r"\bDLDataType\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)", code):
            t = re.findall(r"Type\{(\w+)\}", code[code.rfind("\n", 0, m.start()):m.start()])
            t = t[-1] if t else "?"
            self.codes.append(("DLDataType(%s)" % t, int(m.group(1)), self.where(m.start())))
            if t not in JULIA_SCALARS or JULIA_SCALARS[t][1] * 8 != int(m.group(2)) or \
                    m.group(3) != "1":
                problem(self.where(m.start()), "DLDataType(...) bits/lanes do not fit %s" % t)
        # strings for C's parse functions
        for m in re.finditer(r"\b(%s)\s*=\s*(?:\w+\s*===\s*nothing\s*\?\s*)?(\(\s*)?\"" %
                             "|".join(PARSED), code):
            end = close_paren(code, m.start(2)) + 1 if m.group(2) else code.index('"', m.end()) + 1
            text = ",".join(x.strip().strip('"') for x in src[m.end(1):end].split("=", 1)[1]
                            .split("?")[-1].strip().strip("()").split(","))
            self.parsed.append((m.group(1), text, self.where(m.start())))
        for m in re.finditer(r'"\s*"\s*\*\s*_num\(', code):
            self.parsed.append(("window", src[m.start() + 1:code.index('"', m.start() + 1)] + "1",
                                self.where(m.start())))

    def read_structs(self):
        code, src = self.code, self.src
        for m in re.finditer(r"^[ \t]*(mutable[ \t]+)?struct[ \t]+(\w+)([^\n]*)\n", code, re.M):
            name, rest = m.group(2), m.group(3).strip()
            line_end = src.find("\n", m.start())
            comment = re.search(r"#\s*([A-Za-z_]\w*)\s*$", src[m.start():line_end])
            s = dict(where=self.where(m.start()), mutable=bool(m.group(1)), fields=[], bad=None,
                     cname=comment.group(1) if comment and comment.group(1).startswith(("xp", "DL"))
                     else None)
            if rest and not rest.startswith("<:"):
                s["bad"] = "struct line %r not understood" % rest
            end = re.compile(r"^[ \t]*end\b", re.M).search(code, m.end())
            if not end:
                s["bad"] = "no end"
                end_pos = len(code)
            else:
                end_pos = end.start()
            pos = m.end()
            for ln in code[m.end():end_pos].split("\n"):
                if ln.strip():
                    f = re.match(r"\s*(\w+)\s*::\s*(.+?)\s*$", ln)
                    try:
                        s["fields"].append((f.group(1), jl_type(f.group(2)), self.where(pos)))
                    except (AttributeError, ValueError):
                        s["bad"] = s["bad"] or "field line %r not understood" % ln.strip()
                pos += len(ln) + 1
            self.structs[name] = s


# ------------------------------------------------------------ the checks

class Checker:
    def __init__(self, c, jl):
        self.c, self.jl = c, jl
        self.mirrors = {}       # Julia struct -> C struct key

    def mirror(self, jname, where):
        """The C struct key of Julia struct jname (None: not a mirror)."""
        if jname in self.mirrors:
            return self.mirrors[jname]
        s = self.jl.structs.get(jname)
        if s is None:
            return None
        key = self.c.struct_key(s["cname"] or jname)
        if key is None:
            problem(where, "Julia struct %s mirrors no C struct of the headers (%s)"
                    % (jname, s["cname"] or "name it in a # c_name comment on its struct line"))
        elif s["mutable"]:
            problem(s["where"], "mutable struct %s passed to C: not isbits" % jname)
        self.mirrors[jname] = key
        return key

    def match(self, jt, ct, where):
        """None if Julia type jt fits C type ct (resolved), else why not."""
        if isinstance(jt, tuple) and jt[0] in POINTER_TYPES:
            if ct.kind != "ptr":
                return "not a pointer"
            pt = jt[1][0]
            if pt in ("Cvoid", "Nothing") or ct.to.kind == "scalar" and ct.to.name == "void":
                return None
            if isinstance(pt, tuple) and pt[0] in POINTER_TYPES and pt[1][0] in ("Cvoid", "Nothing"):
                return None if ct.to.kind == "ptr" else "not a pointer to a pointer"
            return self.match(pt, ct.to, where)
        if jt == "Cstring":
            return None if ct.kind == "ptr" and ct.to.kind == "scalar" and \
                ct.to.name == "char" else "not a char *"
        if isinstance(jt, tuple) and jt[0] == "NTuple" and len(jt[1]) == 2:
            if ct.kind != "array":
                return "not an array"
            if ct.n is not None and ct.n != jt[1][0]:
                return "%s elements, not %s" % (ct.n, jt[1][0])
            return self.match(jt[1][1], ct.to, where)
        if isinstance(jt, str) and jt in JULIA_SCALARS:
            want = JULIA_SCALARS[jt]
            if ct.kind == "enum":
                return None if want in (("i", 4), ("u", 4)) else "an enum is a C int"
            if ct.kind != "scalar" or ct.name not in C_SCALARS:
                return "not a scalar"
            have = C_SCALARS[ct.name]
            if have[0] == "c":          # plain char: Int8 or UInt8
                return None if want in (("i", 1), ("u", 1)) else "size or kind differ"
            return None if have == want else "size or kind differ"
        if isinstance(jt, str) and jt in self.jl.structs:
            key = self.mirror(jt, where)
            if key is None:
                return "no C struct"
            return None if ct.kind == "struct" and ct.name == key else "a different struct"
        return "Julia type %s not known to this check" % jl_str(jt)

    def ccalls(self, exported):
        n = 0
        for where, names, ret, args in self.jl.ccalls:
            for name in names:
                n += 1
                if name not in self.c.funcs:
                    problem(where, "ccall %s: not declared in the public headers" % name)
                    continue
                cret, cparams, variadic, cwhere = self.c.funcs[name]
                if exported is not None and name not in exported:
                    problem(where, "ccall %s: not exported by libxpsignal.so (%s)" % (name, cwhere))
                if variadic:
                    problem(where, "ccall %s: C function is variadic (%s)" % (name, cwhere))
                if len(args) != len(cparams):
                    problem(where, "ccall %s: %d argument types, C has %d parameters (%s)"
                            % (name, len(args), len(cparams), cwhere))
                if isinstance(ret, tuple) and ret[0] == "Ref":
                    problem(where, "ccall %s: Ref is not a return type" % name)
                why = self.match(ret, self.c.resolve(cret), where)
                if why:
                    problem(where, "ccall %s return: Julia %s, C %s: %s (%s)"
                            % (name, jl_str(ret), cret, why, cwhere))
                for k, (jt, (pname, ct, pwhere, ptext)) in enumerate(zip(args, cparams), 1):
                    why = self.match(jt, self.c.resolve(ct), where)
                    if why:
                        problem(where, "ccall %s arg %d: Julia %s, C %s: %s (%s)"
                                % (name, k, jl_str(jt), ptext, why, pwhere))
        return n

    def structs(self):
        # a mirror: named for or after a C struct, or passed to C
        for name, s in self.jl.structs.items():
            if s["cname"] or self.c.struct_key(name):
                self.mirror(name, s["where"])
        checked = []
        for jname in list(self.mirrors):
            key = self.mirrors[jname]
            s = self.jl.structs[jname]
            if key is None:
                continue
            if s["bad"]:
                problem(s["where"], "struct %s: %s" % (jname, s["bad"]))
                continue
            members = self.c.members(key)
            cwhere = self.c.structs[key][1]
            if isinstance(members, str):
                problem(s["where"], "struct %s: C %s: %s" % (jname, key, members))
                continue
            checked.append((jname, key, members))
            fields = s["fields"]
            if len(fields) != len(members):
                problem(s["where"], "struct %s: %d fields, C %s has %d members (%s)"
                        % (jname, len(fields), key, len(members), cwhere))
            for (fname, ft, fwhere), (mname, mt, mwhere) in zip(fields, members):
                cname = FIELD_NAMES.get((jname, fname), fname)
                if cname != mname:
                    problem(fwhere, "struct %s field %s: C member here is %s (%s)"
                            % (jname, fname, mname, mwhere))
                why = self.match(ft, self.c.resolve(mt), fwhere)
                if why:
                    problem(fwhere, "struct %s field %s: Julia %s, C %s: %s (%s)"
                            % (jname, fname, jl_str(ft), mt, why, mwhere))
        return checked

    def layout(self, jt):
        """(size, alignment) of a Julia field type, as Julia lays it out."""
        if isinstance(jt, tuple) and jt[0] in POINTER_TYPES or jt == "Cstring":
            return 8, 8
        if isinstance(jt, tuple) and jt[0] == "NTuple":
            size, align = self.layout(jt[1][1])
            return jt[1][0] * size, align
        if isinstance(jt, str) and jt in JULIA_SCALARS:
            kind, size = JULIA_SCALARS[jt]
            return size, size // 2 if kind == "z" else size
        if isinstance(jt, str) and jt in self.jl.structs:
            offs, size, align = self.offsets(jt)
            return size, align
        raise ValueError("no layout for %s" % jl_str(jt))

    def offsets(self, jname):
        offs, off, align = [], 0, 1
        for _, ft, _ in self.jl.structs[jname]["fields"]:
            size, a = self.layout(ft)
            off = (off + a - 1) // a * a
            offs.append(off)
            off += size
            align = max(align, a)
        return offs, (off + align - 1) // align * align, align


def c_layouts(checked, typedefs, cc, cppflags):
    """{key: ([offsetof of each member], sizeof)} from a compiled program."""
    lines = ["#include <stdio.h>", "#include <stddef.h>", '#include "xpsignal.h"',
             "int main(void)", "{"]
    for jname, key, members in checked:
        spell = key if key in typedefs else "struct " + key
        for mname, _, _ in members:
            lines.append('    printf("%%zu\\n", offsetof(%s, %s));' % (spell, mname))
        lines.append('    printf("%%zu\\n", sizeof(%s));' % spell)
    out = run_c("layout", lines, cc, cppflags, [])
    if out is None:
        return None
    res, it = {}, iter(out)
    for jname, key, members in checked:
        res[key] = ([next(it) for _ in members], next(it))
    return res


def run_c(name, lines, cc, cppflags, link):
    """The integers a program of lines prints, or None (a problem) when it
    does not build."""
    lines = lines + ["    return 0;", "}"]
    with tempfile.TemporaryDirectory() as tmp:
        cfile, exe = os.path.join(tmp, name + ".c"), os.path.join(tmp, name)
        with open(cfile, "w") as f:
            f.write("\n".join(lines) + "\n")
        r = subprocess.run(cc + cppflags + [cfile, "-o", exe] + link, capture_output=True, text=True)
        if r.returncode:
            problem(name + ".c", "does not build:\n" + r.stderr)
            return None
        out = subprocess.run([exe], capture_output=True, text=True, check=True).stdout.split()
    return [int(x) for x in out]


def c_codes(jl, cc, cppflags, lib):
    """Compare the file's codes with C's (CODES) and, where lib can be
    linked, its PARSED strings with what C's parse functions accept."""
    found = {site for site, _, _ in jl.codes}
    for site in sorted(set(CODES) - found):
        problem(jl.label, "julia_ffi.py's CODES lists %r, which the file no longer has" % site)
    for site, value, where in jl.codes:
        if site not in CODES:
            problem(where, "%s (%d): a code julia_ffi.py's CODES does not map to C" % (site, value))
    names = sorted({CODES[s] for s in found if CODES.get(s)})
    lines = ["#include <stdio.h>", '#include "xpsignal.h"', "int main(void)", "{"] + \
        ['    printf("%%lld\\n", (long long)(%s));' % n for n in names]
    parsed = jl.parsed if lib else []
    for arg, text, _ in parsed:
        fn, ctype = PARSED[arg]
        lines.append('    { %s v; printf("%%d\\n", %s("%s", &v)); }' % (ctype, fn, text))
    link = [os.path.abspath(lib), "-Wl,-rpath," + os.path.dirname(os.path.abspath(lib))] \
        if lib else []
    out = run_c("codes", lines, cc, cppflags, link)
    if out is None:
        return 0
    cval = dict(zip(names, out))
    for site, value, where in jl.codes:
        if CODES.get(site) is not None and cval[CODES[site]] != value:
            problem(where, "%s is %d, C %s is %d" % (site, value, CODES[site], cval[CODES[site]]))
    for (arg, text, where), rc in zip(parsed, out[len(names):]):
        if rc:
            problem(where, '%s "%s": %s rejects it (%d)' % (arg, text, PARSED[arg][0], rc))
    return len(jl.codes)


def main(argv):
    srcdir = os.environ.get("top_srcdir", ".")
    lib = None
    args = argv[1:]
    jl = None
    while args:
        a = args.pop(0)
        if a == "--srcdir":
            srcdir = args.pop(0)
        elif a == "--lib":
            lib = args.pop(0)
        else:
            jl = a
    srcdir = os.path.normpath(srcdir)
    jl = jl or os.path.join(srcdir, "bindings", "julia", "XPSignal.jl")
    label = os.path.relpath(jl, srcdir) if os.path.abspath(jl).startswith(
        os.path.abspath(srcdir) + os.sep) else jl
    cc = shlex.split(os.environ.get("CC") or "cc")
    cppflags = ["-I" + os.path.join(srcdir, d) for d in ("lib", "lib/xp", "lib/signal")] + \
        shlex.split(os.environ.get("CPPFLAGS", ""))

    r = subprocess.run(cc + ["-E"] + cppflags + [os.path.join(srcdir, "lib", "xpsignal.h")],
                       capture_output=True, text=True)
    if r.returncode:
        print("FAIL: the C preprocessor fails on lib/xpsignal.h:\n" + r.stderr)
        return 1
    c = CHeaders(c_tokens(r.stdout, srcdir))
    if len(c.funcs) < 100:
        print("FAIL: only %d functions read from the headers" % len(c.funcs))
        return 1

    exported = None
    if lib and os.path.exists(lib):
        try:
            r = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True, text=True)
        except OSError:
            r = None
        if r and r.returncode == 0:
            exported = {f[2] for f in (ln.split() for ln in r.stdout.splitlines())
                        if len(f) == 3 and f[1] in "TWi"}
    if exported is None:
        print("note: no shared library to read: exports not checked")

    j = Julia(jl, label)
    chk = Checker(c, j)
    ncalls = chk.ccalls(exported)
    checked = chk.structs()
    layouts = c_layouts(checked, c.typedefs, cc, cppflags) if checked else {}
    for jname, key, members in checked:
        if layouts is None:
            break
        s = j.structs[jname]
        try:
            joffs, jsize, _ = chk.offsets(jname)
        except ValueError as e:
            problem(s["where"], "struct %s: %s" % (jname, e))
            continue
        coffs, csize = layouts[key]
        for (fname, _, fwhere), jo, (mname, _, mwhere), co in zip(s["fields"], joffs, members, coffs):
            if jo != co:
                problem(fwhere, "struct %s field %s at offset %d, C %s.%s at %d (%s)"
                        % (jname, fname, jo, key, mname, co, mwhere))
        if jsize != csize:
            problem(s["where"], "struct %s: sizeof %d, C sizeof(%s) %d"
                    % (jname, jsize, key, csize))
    if exported is None:
        print("note: no shared library to link: parsed strings not checked")
    ncodes = c_codes(j, cc, cppflags, lib if exported is not None else None)
    for p in problems:
        print(p)
    print("%d ccalls (%d sites), %d structs checked (%s), %d codes, %d parsed strings; "
          "%d problems" % (ncalls, len(j.ccalls), len(checked), ", ".join(n for n, _, _ in checked),
                           ncodes, len(j.parsed) if exported is not None else 0, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
