/*
 * check_gw150914_synth.c -- the GW150914 demo on its synthetic stream
 * (no data needed), on every provider: the injected chirp is recovered by
 * the matched filter within 1 ms in both detectors, with the SNR it was
 * scaled to; every output of gw150914_run says the data were synthetic.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "testutil.h"
#include "gw150914.h"

START_TEST(test_recovery)
{
    const xp_provider *p = xpt_provider(_i);
    gw_dataset d;
    gw_results r;
    XPT_OK(gw_synthesize(p, 150914, &d));
    ck_assert_int_eq(d.synthetic, 1);
    XPT_OK(gw_analyse(p, &d, &r));
    for (int i = 0; i < GW_NDET; i++) {
        const gw_peak *pk = &r.det[i].peak;
        printf("provider %s, %s: SNR %.3f at %.6f, injected at %.6f (%+.3f ms)\n",
               xp_provider_name(p), d.det[i].name, pk->snr, pk->t_gps, d.inj_gps[i],
               (pk->t_gps - d.inj_gps[i]) * 1e3);
        ck_assert_msg(fabs(pk->t_gps - d.inj_gps[i]) <= 1e-3, "%s: recovered %.6f, injected "
                      "%.6f", d.det[i].name, pk->t_gps, d.inj_gps[i]);
        /* scaled to 20 and 15 in the analytic noise; the Welch PSD and the
         * noise realisation move it by a few */
        ck_assert_msg(fabs(pk->snr - (i ? 15.0 : 20.0)) < 3, "%s SNR %g", d.det[i].name,
                      pk->snr);
    }
    ck_assert_msg(fabs(r.delay_ms - 7) <= 1, "delay %g ms", r.delay_ms);
    ck_assert(isnan(r.fig1_r[0]) && isnan(r.fig1_r[1]));
    gw_results_clear(&r);
    gw_dataset_clear(&d);
}
END_TEST

/* The same seed gives the same stream on every provider. */
START_TEST(test_seeded)
{
    gw_dataset a, b;
    XPT_OK(gw_synthesize(xp_provider_host(), 150914, &a));
    XPT_OK(gw_synthesize(xpt_provider(_i), 150914, &b));
    for (int i = 0; i < GW_NDET; i++)
        ck_assert(xpt_rel_err(b.det[i].h, a.det[i].h, a.det[i].n) < 1e-12);
    gw_dataset_clear(&b);
    XPT_OK(gw_synthesize(xp_provider_host(), 1, &b));
    ck_assert(xpt_rel_err(b.det[0].h, a.det[0].h, a.det[0].n) > 0.1);
    gw_dataset_clear(&a);
    gw_dataset_clear(&b);
}
END_TEST

static int file_has(const char *dir, const char *name, const char *text)
{
    char path[2048], buf[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return strstr(buf, text) != NULL;
}

START_TEST(test_run_synthetic)
{
    char dir[] = "/tmp/check_gw150914_synth.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    gw150914_options o;
    gw150914_options_init(&o);
    o.synthetic = 1;
    o.out_dir = dir;
    o.provider = xp_provider_name(xpt_provider(_i));
    o.plots = 0;
    o.log = NULL;
    XPT_OK(gw150914_run(&o));
    const char *files[] = {"asd_H1.txt", "asd_L1.txt", "fig1_H1.txt", "fig1_L1.txt",
                           "snr_H1.txt", "snr_L1.txt"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        ck_assert_msg(file_has(dir, files[i], "SYNTHETIC"), "%s does not say synthetic",
                      files[i]);
    ck_assert(file_has(dir, "summary.json", "\"synthetic\": true"));
    ck_assert(file_has(dir, "summary.json", "\"delay_ms\": "));
    xpt_remove_dir(dir);
}
END_TEST

/* A bad provider name is an error with a message, not a crash. */
START_TEST(test_bad_provider)
{
    gw150914_options o;
    gw150914_options_init(&o);
    o.provider = "no-such-provider";
    o.log = NULL;
    ck_assert_int_eq(gw150914_run(&o), XP_EINVAL);
    ck_assert_ptr_nonnull(strstr(xp_errmsg(), "no-such-provider"));
}
END_TEST

int main(void)
{
    setenv("XP_FFTW_PLANNER", "estimate", 0);
    Suite *s = suite_create("gw150914_synth");
    TCase *tc = tcase_create("synthetic");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, test_recovery, 0, xpt_nproviders());
    tcase_add_loop_test(tc, test_seeded, 0, xpt_nproviders());
    tcase_add_loop_test(tc, test_run_synthetic, 0, xpt_nproviders());
    tcase_add_test(tc, test_bad_provider);
    suite_add_tcase(s, tc);
    return xpt_run(s);
}
