/* dtype.c -- the four dtypes and their DLPack descriptions. */
#include "xp_internal.h"

static const struct {
    const char *name;
    uint8_t code, bits;
} xp_dtypes[] = {
    [XP_FLOAT32] = {"float32", kDLFloat, 32},
    [XP_FLOAT64] = {"float64", kDLFloat, 64},
    [XP_COMPLEX64] = {"complex64", kDLComplex, 64},
    [XP_COMPLEX128] = {"complex128", kDLComplex, 128},
};

static int valid(xp_dtype d)
{
    return (unsigned)d <= XP_COMPLEX128;
}

int xp_dtype_from_dlpack(const DLDataType *dt, xp_dtype *out)
{
    if (!dt || !out)
        return xp_error(XP_EINVAL, "xp_dtype_from_dlpack: %s is NULL", dt ? "out" : "dt");
    for (int d = XP_FLOAT32; d <= XP_COMPLEX128; d++)
        if (dt->code == xp_dtypes[d].code && dt->bits == xp_dtypes[d].bits
            && dt->lanes == 1) {
            *out = (xp_dtype)d;
            return XP_OK;
        }
    return xp_error(XP_EDTYPE,
                    "xp_dtype_from_dlpack: dt (code %u, bits %u, lanes %u) is not one "
                    "of float32, float64, complex64, complex128",
                    dt->code, dt->bits, dt->lanes);
}

int xp_dtype_to_dlpack(xp_dtype dtype, DLDataType *out)
{
    if (!out)
        return xp_error(XP_EINVAL, "xp_dtype_to_dlpack: out is NULL");
    if (!valid(dtype))
        return xp_error(XP_EDTYPE, "xp_dtype_to_dlpack: dtype (%d) is not a valid xp_dtype",
                        (int)dtype);
    out->code = xp_dtypes[dtype].code;
    out->bits = xp_dtypes[dtype].bits;
    out->lanes = 1;
    return XP_OK;
}

size_t xp_dtype_size(xp_dtype d)
{
    return valid(d) ? xp_dtypes[d].bits / 8u : 0;
}

const char *xp_dtype_name(xp_dtype d)
{
    return valid(d) ? xp_dtypes[d].name : "invalid";
}

int xp_dtype_is_complex(xp_dtype d)
{
    return d == XP_COMPLEX64 || d == XP_COMPLEX128;
}

xp_dtype xp_dtype_real(xp_dtype d)
{
    return d == XP_COMPLEX64 ? XP_FLOAT32 : d == XP_COMPLEX128 ? XP_FLOAT64 : d;
}

xp_dtype xp_dtype_complex(xp_dtype d)
{
    return d == XP_FLOAT32 ? XP_COMPLEX64 : d == XP_FLOAT64 ? XP_COMPLEX128 : d;
}

int xp__tensor_dtype(const DLTensor *t, xp_dtype *out)
{
    return xp_dtype_from_dlpack(&t->dtype, out);
}
