# man: section 3 (API) and section 1 (xpsig).
dist_man_MANS += man/man3/xpsignal.3 man/man1/xpsig.1
