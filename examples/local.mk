# examples: small programs a user can copy (built with the library).
noinst_PROGRAMS += examples/providers_tour
examples_providers_tour_SOURCES = examples/providers_tour.c
examples_providers_tour_LDADD = libxpsignal.la
