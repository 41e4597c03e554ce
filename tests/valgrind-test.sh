#!/bin/sh
# valgrind-test.sh TEST [ARGS] - the LOG_COMPILER of 'make check-valgrind'.
# A compiled test (cmocka) runs under $KT_VALGRIND; a shell test runs as it
# is, and tests/lib.sh (or the test itself) puts $KT_VALGRIND in front of
# every ktriage or report-driver it runs.
case $1 in
*.sh)
	exec "$@" ;;
esac
# shellcheck disable=SC2086 # KT_VALGRIND is a command line
exec $KT_VALGRIND "$@"
