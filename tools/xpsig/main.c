/* main.c -- xpsig: dispatch to a subcommand.
 *
 * Adding a subcommand: write cmd_<name>.c with a function of the xpsig_cmd
 * signature (parse with xpsig_parse, read with xpsig_load, write with
 * xpsig_save), declare it in xpsig.h, list it below and in
 * tools/xpsig/local.mk, and describe it in man/man1/xpsig.1.  A subcommand
 * that computes something should rather give its stages (xpsig_stages:
 * parse, load, compute, save) and run with xpsig_run_staged, so that
 * xpsig bench can time it. */
#include <stdlib.h>
#include <string.h>
#include "xpsig.h"
#include "cmd_filter.h"

const xpsig_cmd xpsig_commands[] = {
    {"providers", xpsig_cmd_providers, "list the array providers and whether they are usable", NULL},
    {"info", xpsig_cmd_info, "print the dtype and shape of array files", NULL},
    {"convert", xpsig_cmd_convert, "copy an array between file formats, optionally changing its dtype", NULL},
    {"window", xpsig_run_staged, "the values of a window (get_window)", &xpsig_window_stages},
    {"detrend", xpsig_run_staged, "remove a linear or constant trend", &xpsig_detrend_stages},
    {"periodogram", xpsig_run_staged, "power spectral density with a periodogram",
     &xpsig_periodogram_stages},
    {"welch", xpsig_run_staged, "power spectral density with Welch's method",
     &xpsig_welch_stages},
    {"csd", xpsig_run_staged, "cross spectral density with Welch's method", &xpsig_csd_stages},
    {"coherence", xpsig_run_staged, "magnitude-squared coherence of two signals",
     &xpsig_coherence_stages},
    {"spectrogram", xpsig_run_staged, "spectra of consecutive segments",
     &xpsig_spectrogram_stages},
    {"stft", xpsig_run_staged, "short-time Fourier transform", &xpsig_stft_stages},
    {"istft", xpsig_run_staged, "inverse short-time Fourier transform", &xpsig_istft_stages},
    {"butter", xpsig_run_staged, "Butterworth filter design", &xpsig_butter_stages},
    {"cheby1", xpsig_run_staged, "Chebyshev type I filter design", &xpsig_cheby1_stages},
    {"cheby2", xpsig_run_staged, "Chebyshev type II filter design", &xpsig_cheby2_stages},
    {"ellip", xpsig_run_staged, "elliptic (Cauer) filter design", &xpsig_ellip_stages},
    {"bessel", xpsig_run_staged, "Bessel/Thomson filter design", &xpsig_bessel_stages},
    {"iirdesign", xpsig_run_staged, "IIR filter of lowest order meeting pass/stop band specs",
     &xpsig_iirdesign_stages},
    {"iirnotch", xpsig_run_staged, "second-order notch filter design", &xpsig_iirnotch_stages},
    {"iirpeak", xpsig_run_staged, "second-order peak (resonator) filter design",
     &xpsig_iirpeak_stages},
    {"freqz", xpsig_run_staged, "frequency response of a digital filter", &xpsig_freqz_stages},
    {"lfilter", xpsig_run_staged, "filter along an axis with b, a", &xpsig_lfilter_stages},
    {"filtfilt", xpsig_run_staged, "zero-phase forward-backward filter with b, a",
     &xpsig_filtfilt_stages},
    {"sosfilt", xpsig_run_staged, "filter along an axis with second-order sections",
     &xpsig_sosfilt_stages},
    {"sosfiltfilt", xpsig_run_staged, "zero-phase forward-backward filter with sections",
     &xpsig_sosfiltfilt_stages},
    {"gw150914", xpsig_cmd_gw150914,
     "the GW150914 demo: ASD, whitening, Fig. 1, matched filter, plots", NULL},
    {"bench", xpsig_cmd_bench, "time the computation of a subcommand", NULL},
};
const size_t xpsig_ncommands = sizeof xpsig_commands / sizeof xpsig_commands[0];

static const xpsig_cmd *find_command(const char *name)
{
    for (size_t i = 0; i < xpsig_ncommands; i++)
        if (strcmp(xpsig_commands[i].name, name) == 0)
            return &xpsig_commands[i];
    return NULL;
}

static int run(const xpsig_cmd *cmd, int argc, char **argv)
{
    xpsig_ctx ctx = {0};
    ctx.cmd = cmd;
    int rc = cmd->run(&ctx, argc, argv);
    free(ctx.pos);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return xpsig_fail(NULL, XPSIG_EXIT_USAGE, "missing subcommand (see xpsig --help)");
    const char *a = argv[1];
    if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
        printf("xpsig (libxpsignal) %s\n", xp_version());
        return XPSIG_EXIT_OK;
    }
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0 ||
        (strcmp(a, "help") == 0 && argc == 2)) {
        xpsig_usage(stdout);
        return XPSIG_EXIT_OK;
    }
    if (strcmp(a, "help") == 0) {       /* help SUBCOMMAND */
        const xpsig_cmd *cmd = find_command(argv[2]);
        if (!cmd)
            return xpsig_fail(NULL, XPSIG_EXIT_USAGE,
                              "help: unknown subcommand '%s' (see xpsig --help)", argv[2]);
        char *hargv[] = {argv[2], "--help", NULL};
        return run(cmd, 2, hargv);
    }
    if (a[0] == '-')
        return xpsig_fail(NULL, XPSIG_EXIT_USAGE, "unknown option %s (see xpsig --help)", a);
    const xpsig_cmd *cmd = find_command(a);
    if (!cmd)
        return xpsig_fail(NULL, XPSIG_EXIT_USAGE,
                          "%s: unknown subcommand (see xpsig --help)", a);
    return run(cmd, argc - 1, argv + 1);
}
