library(testthat)
library(xpsignal)

test_check("xpsignal")
