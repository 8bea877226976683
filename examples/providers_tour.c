/*
 * providers_tour.c -- the same call on every provider.
 *
 * Builds scipy.signal.get_window(('tukey', 0.25), 16) on each provider this
 * build knows, brings it back to the host and shows that the numbers agree;
 * the strict provider also reports how many host transfers that took.
 *
 *   cc providers_tour.c $(pkg-config --cflags --libs xpsignal)
 */
#include <stdio.h>
#include <xpsignal.h>

#define M 16

int main(void)
{
    xps_window_spec spec;
    xps_window_spec_init(&spec);
    if (xps_window_spec_parse("tukey,0.25", &spec) != XP_OK) {
        fprintf(stderr, "providers_tour: %s\n", xp_errmsg());
        return 1;
    }
    printf("get_window(('tukey', 0.25), %d) on every provider:\n", M);
    for (int64_t i = 0; i < xp_provider_count(); i++) {
        const xp_provider *p = xp_provider_get(i);
        const char *why = NULL;
        if (!xp_provider_available(p, &why)) {
            printf("  %-7s unavailable: %s\n", xp_provider_name(p), why);
            continue;
        }
        xp_provider_stats_reset(p);
        xp_array *w = NULL;
        double v[M];
        if (xps_get_window(&spec, M, 1, p, XP_FLOAT64, &w) != XP_OK
            || xp_array_to_host(w, v, sizeof v) != XP_OK) {
            fprintf(stderr, "providers_tour: %s: %s\n", xp_provider_name(p), xp_errmsg());
            xp_array_free(w);
            return 1;
        }
        printf("  %-7s", xp_provider_name(p));
        for (int k = 0; k < M; k += 2)
            printf(" %.4f", v[k]);
        xp_provider_stats st = {.size = sizeof st};
        if (xp_provider_stats_get(p, &st) == XP_OK)
            printf("   (%lld upload, %lld download)", (long long)st.uploads,
                   (long long)st.downloads);
        printf("\n");
        xp_array_free(w);
    }
    return 0;
}
