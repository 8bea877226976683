/*
 * check_cuda_listed.c -- the "cuda" provider is always in the registry;
 * where the module or a GPU is missing it says so and refuses arrays.
 */
#include <string.h>
#include "testutil.h"

const xp_provider *xp__provider_for_device(DLDeviceType type);   /* registry.c */

START_TEST(cuda_is_listed)
{
    const xp_provider *p = xp_provider_find("cuda");
    ck_assert_ptr_nonnull(p);
    ck_assert_str_eq(xp_provider_name(p), "cuda");
    ck_assert_int_eq(xp_provider_device_type(p), kDLCUDA);
    int found = 0;
    for (int64_t i = 0; i < xp_provider_count(); i++)
        found += xp_provider_get(i) == p;
    ck_assert_int_eq(found, 1);
    ck_assert_ptr_eq(xp__provider_for_device(kDLCUDA), p);
    /* host and strict are unaffected */
    ck_assert_ptr_eq(xp_provider_find("host"), xp_provider_host());
    ck_assert_ptr_nonnull(xp_provider_find("strict"));
}
END_TEST

START_TEST(unavailable_says_why)
{
    const xp_provider *p = xp_provider_find("cuda");
    const char *why = NULL;
    if (xp_provider_available(p, &why)) {
        ck_assert_ptr_null(why);        /* a GPU is here: check_cuda covers it */
        return;
    }
    ck_assert_ptr_nonnull(why);
    ck_assert(strlen(why) > 0);
    /* the reason is stable across calls */
    const char *again = NULL;
    ck_assert(!xp_provider_available(p, &again));
    ck_assert_str_eq(why, again);
    int64_t n = 4;
    xp_array *a = NULL;
    ck_assert_int_eq(xp_array_empty(p, XP_FLOAT64, 1, &n, &a), XP_EUNAVAIL);
    ck_assert_ptr_null(a);
    xpt_msg_has("xp_array_empty", "unavailable", "cuda", why, NULL);
    /* the usable providers never include it */
    for (int i = 0; i < xpt_nproviders(); i++)
        ck_assert_ptr_ne(xpt_provider(i), p);
}
END_TEST

/* A module path that does not exist: the reason names the loader's error. */
START_TEST(missing_module_is_reported)
{
    const xp_provider *p = xp_provider_find("cuda");
    const char *why = NULL;
    if (xp_provider_available(p, &why))
        return;
    ck_assert_msg(strstr(why, "CUDA") || strstr(why, "cuda"), "%s", why);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cuda_listed");
    TCase *tc = tcase_create("cuda_listed");
    tcase_add_test(tc, cuda_is_listed);
    tcase_add_test(tc, unavailable_says_why);
    tcase_add_test(tc, missing_module_is_reported);
    suite_add_tcase(s, tc);
    return xpt_run(s);
}
