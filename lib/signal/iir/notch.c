/*
 * notch.c -- second-order notch and peak (resonator) filters at w0 with
 * quality factor Q: bandwidth w0 / Q at -3 dB.
 */
#include "iir.h"

static int notch_peak(const char *fn, int peak, double w0, double Q, double fs,
                      double *b, double *a)
{
    if (fs == 0)
        fs = 2.0;
    if (!(fs > 0) || !isfinite(fs))
        return xp_error(XP_EINVAL, "%s: fs (%g) must be a positive finite number", fn, fs);
    if (!(Q > 0) || !isfinite(Q))
        return xp_error(XP_EINVAL, "%s: Q (%g) must be a positive finite number", fn, Q);
    if (!b || !a)
        return xp_error(XP_EINVAL, "%s: %s is NULL", fn, b ? "a" : "b");
    double w = 2 * w0 / fs;
    if (!(w >= 0 && w <= 1))
        return xp_error(XP_EINVAL, "%s: w0 (%g) must be in [0, fs/2] = [0, %g]", fn, w0,
                        fs / 2);
    double bw = w / Q * M_PI;
    w = w * M_PI;
    double beta = tan(bw / 2.0);
    double gain = 1.0 / (1.0 + beta);
    double cw = cos(w);
    if (peak) {
        b[0] = (1.0 - gain) * 1.0;
        b[1] = (1.0 - gain) * 0.0;
        b[2] = (1.0 - gain) * -1.0;
    } else {
        b[0] = gain * 1.0;
        b[1] = gain * (-2.0 * cw);
        b[2] = gain * 1.0;
    }
    a[0] = 1.0;
    a[1] = -2.0 * gain * cw;
    a[2] = 2.0 * gain - 1.0;
    return XP_OK;
}

int xps_iirnotch(double w0, double Q, double fs, double *b, double *a)
{
    return notch_peak("iirnotch", 0, w0, Q, fs, b, a);
}

int xps_iirpeak(double w0, double Q, double fs, double *b, double *a)
{
    return notch_peak("iirpeak", 1, w0, Q, fs, b, a);
}
