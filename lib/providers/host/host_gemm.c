/*
 * host_gemm.c -- C = alpha op(A) op(B) + beta C with OpenBLAS.
 *
 * BLAS takes each matrix as row- or column-major with a positive leading
 * dimension.  We run in C's layout; a matrix stored the other way is its own
 * transpose in that layout, so its op flips between 'N' and 'T'.  What BLAS
 * cannot take (other strides, negative or zero strides, or a conjugate
 * without transpose) is first copied into a contiguous scratch.
 */
#include <limits.h>
#include <string.h>
#include <cblas.h>
#include "host.h"

/* A 2-D operand as BLAS sees it. */
typedef struct {
    const char *name;       /* "A", "B", "C" for messages */
    const DLTensor *t;
    int64_t r, c;           /* shape */
    int64_t s0, s1;         /* element strides */
    char *p;                /* first element as passed to BLAS */
    int col;                /* 1: column-major */
    int64_t ld;
    void *scratch;          /* owned copy, or NULL */
} gemm_mat;

static int64_t max1(int64_t v)
{
    return v > 1 ? v : 1;
}

/* Does m's storage fit BLAS as row- (col = 0) or column-major (col = 1)?
 * If so, set *ld.  Dimensions of length <= 1 take any stride. */
static int gemm_fits(const gemm_mat *m, int col, int64_t *ld)
{
    int64_t r = col ? m->c : m->r, c = col ? m->r : m->c;   /* as row-major */
    int64_t s0 = col ? m->s1 : m->s0, s1 = col ? m->s0 : m->s1;
    if (c > 1 && s1 != 1)
        return 0;
    if (r > 1 && s0 < max1(c))
        return 0;
    *ld = r > 1 ? s0 : max1(c);
    return *ld <= INT_MAX;
}

/* Element-by-element strided copy of an r x c matrix. */
static void gemm_copy(char *d, int64_t ds0, int64_t ds1, const char *s,
                      int64_t ss0, int64_t ss1, int64_t r, int64_t c, size_t es)
{
#define GEMM_COPY(T)                                                        \
    for (int64_t i = 0; i < r; i++)                                         \
        for (int64_t j = 0; j < c; j++)                                     \
            memcpy(d + (i * ds0 + j * ds1) * (int64_t)sizeof(T),            \
                   s + (i * ss0 + j * ss1) * (int64_t)sizeof(T), sizeof(T))
    typedef struct { double re, im; } z16;
    switch (es) {
    case 4: GEMM_COPY(float); break;
    case 8: GEMM_COPY(double); break;
    default: GEMM_COPY(z16); break;
    }
#undef GEMM_COPY
}

/* Contiguous strides of m's shape in layout col. */
static void gemm_scratch_strides(const gemm_mat *m, int col, int64_t *s0, int64_t *s1)
{
    if (col) {
        *s0 = 1;
        *s1 = max1(m->r);
    } else {
        *s0 = max1(m->c);
        *s1 = 1;
    }
}

/* Point m at a contiguous copy of itself in layout col (or zeros for C when
 * beta is 0, which BLAS never reads). */
static int gemm_to_scratch(gemm_mat *m, int col, size_t es, int copy)
{
    int64_t s0, s1;
    size_t nb = (size_t)(m->r * m->c) * es;
    m->scratch = xp__aligned_alloc(nb ? nb : 1);
    if (!m->scratch)
        return xp_error(XP_ENOMEM, "gemm: out of memory copying %s (%lld x %lld)",
                        m->name, (long long)m->r, (long long)m->c);
    gemm_scratch_strides(m, col, &s0, &s1);
    if (copy)
        gemm_copy(m->scratch, s0, s1, m->p, m->s0, m->s1, m->r, m->c, es);
    else
        memset(m->scratch, 0, nb);
    m->p = m->scratch;
    m->col = col;
    m->ld = col ? s1 : s0;
    return XP_OK;
}

/* Ready operand m with op *trans for BLAS in layout col. */
static int gemm_prepare(gemm_mat *m, int col, char *trans, size_t es)
{
    int64_t ld;
    if (gemm_fits(m, col, &ld)) {
        m->col = col;
        m->ld = ld;
        return XP_OK;
    }
    /* Stored the other way: in layout col it holds the transpose. */
    if (*trans != 'C' && gemm_fits(m, !col, &ld)) {
        m->col = !col;
        m->ld = ld;
        *trans = *trans == 'N' ? 'T' : 'N';
        return XP_OK;
    }
    return gemm_to_scratch(m, col, es, 1);
}

static int gemm_mat_init(gemm_mat *m, const char *name, const DLTensor *t)
{
    memset(m, 0, sizeof *m);
    m->name = name;
    m->t = t;
    if (t->ndim != 2)
        return xp_error(XP_ESHAPE, "gemm: %s must be 2-d (got %d-d)", name, t->ndim);
    m->r = t->shape[0];
    m->c = t->shape[1];
    m->s0 = t->strides[0];
    m->s1 = t->strides[1];
    m->p = xp__base(t);
    return XP_OK;
}

static int gemm_trans(const char *name, char t, int cplx, char *out)
{
    if (t == 'n' || t == 't' || t == 'c')
        t = (char)(t - 'a' + 'A');
    if (t != 'N' && t != 'T' && t != 'C') {
        if (t > ' ' && t < 127)
            return xp_error(XP_EINVAL, "gemm: %s ('%c') must be 'N', 'T' or 'C'", name, t);
        return xp_error(XP_EINVAL, "gemm: %s (0x%02x) must be 'N', 'T' or 'C'", name,
                        (unsigned)(unsigned char)t);
    }
    *out = (!cplx && t == 'C') ? 'T' : t;
    return XP_OK;
}

static enum CBLAS_TRANSPOSE gemm_cblas_trans(char t)
{
    return t == 'N' ? CblasNoTrans : t == 'T' ? CblasTrans : CblasConjTrans;
}

int xp__host_gemm(void *ctx, char transa, char transb, double alpha_re,
                  double alpha_im, const DLTensor *A, const DLTensor *B,
                  double beta_re, double beta_im, const DLTensor *C)
{
    gemm_mat a, b, c;
    xp_dtype da, db, dc;
    char ta, tb;
    int rc;

    if ((rc = gemm_mat_init(&a, "A", A)) || (rc = gemm_mat_init(&b, "B", B)) ||
        (rc = gemm_mat_init(&c, "C", C)))
        return rc;
    if (xp__tensor_dtype(A, &da) || xp__tensor_dtype(B, &db) ||
        xp__tensor_dtype(C, &dc))
        return xp_error(XP_EDTYPE, "gemm: A, B or C has an unsupported dtype");
    if (da != db || da != dc)
        return xp_error(XP_EDTYPE, "gemm: A, B and C must share one dtype (got %s, %s, %s)",
                        xp_dtype_name(da), xp_dtype_name(db), xp_dtype_name(dc));
    int cplx = xp_dtype_is_complex(da);
    if ((rc = gemm_trans("transa", transa, cplx, &ta)) ||
        (rc = gemm_trans("transb", transb, cplx, &tb)))
        return rc;
    if (!cplx && (alpha_im != 0 || beta_im != 0))
        return xp_error(XP_EINVAL, "gemm: alpha (%g%+gi) and beta (%g%+gi) must be "
                        "real for %s", alpha_re, alpha_im, beta_re, beta_im,
                        xp_dtype_name(da));

    int64_t m = ta == 'N' ? a.r : a.c, k = ta == 'N' ? a.c : a.r;
    int64_t kb = tb == 'N' ? b.r : b.c, n = tb == 'N' ? b.c : b.r;
    if (k != kb)
        return xp_error(XP_ESHAPE, "gemm: inner dimensions of op(A) (%lld x %lld) and "
                        "op(B) (%lld x %lld) differ", (long long)m, (long long)k,
                        (long long)kb, (long long)n);
    if (c.r != m || c.c != n)
        return xp_error(XP_ESHAPE, "gemm: C is %lld x %lld but op(A) op(B) is "
                        "%lld x %lld", (long long)c.r, (long long)c.c,
                        (long long)m, (long long)n);
    if (m > INT_MAX || n > INT_MAX || k > INT_MAX)
        return xp_error(XP_EINVAL, "gemm: dimensions (%lld, %lld, %lld) exceed BLAS's "
                        "int range", (long long)m, (long long)n, (long long)k);
    if (m == 0 || n == 0)
        return XP_OK;

    size_t es = xp_dtype_size(da);
    int col = 0;
    int64_t ld;
    if (gemm_fits(&c, 0, &ld)) {
        c.ld = ld;
    } else if (gemm_fits(&c, 1, &ld)) {
        col = 1;
        c.col = 1;
        c.ld = ld;
    } else if ((rc = gemm_to_scratch(&c, 0, es, beta_re != 0 || beta_im != 0))) {
        return rc;
    }
    if ((rc = gemm_prepare(&a, col, &ta, es)) || (rc = gemm_prepare(&b, col, &tb, es)))
        goto done;

    enum CBLAS_ORDER order = col ? CblasColMajor : CblasRowMajor;
    enum CBLAS_TRANSPOSE opa = gemm_cblas_trans(ta), opb = gemm_cblas_trans(tb);
    int im = (int)m, in = (int)n, ik = (int)k;
    int lda = (int)a.ld, ldb = (int)b.ld, ldc = (int)c.ld;
    switch (da) {
    case XP_FLOAT32:
        cblas_sgemm(order, opa, opb, im, in, ik, (float)alpha_re, (const float *)a.p,
                    lda, (const float *)b.p, ldb, (float)beta_re, (float *)c.p, ldc);
        break;
    case XP_FLOAT64:
        cblas_dgemm(order, opa, opb, im, in, ik, alpha_re, (const double *)a.p, lda,
                    (const double *)b.p, ldb, beta_re, (double *)c.p, ldc);
        break;
    case XP_COMPLEX64: {
        float al[2] = { (float)alpha_re, (float)alpha_im };
        float be[2] = { (float)beta_re, (float)beta_im };
        cblas_cgemm(order, opa, opb, im, in, ik, al, a.p, lda, b.p, ldb, be, c.p, ldc);
        break;
    }
    case XP_COMPLEX128: {
        double al[2] = { alpha_re, alpha_im }, be[2] = { beta_re, beta_im };
        cblas_zgemm(order, opa, opb, im, in, ik, al, a.p, lda, b.p, ldb, be, c.p, ldc);
        break;
    }
    }
    if (c.scratch) {
        int64_t s0, s1;
        gemm_scratch_strides(&c, 0, &s0, &s1);
        gemm_copy(xp__base(C), c.s0, c.s1, c.scratch, s0, s1, c.r, c.c, es);
    }

done:
    xp__aligned_free(a.scratch);
    xp__aligned_free(b.scratch);
    xp__aligned_free(c.scratch);
    return rc;
}
