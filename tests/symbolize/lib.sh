# Sourced by the symbolizer tests: builds the test "kernel" and "module" in
# $TMPD/build with gcc -g -O2, laid out like a kernel tree (kernel/, include/,
# drivers/) so the DWARF paths are relative to the tree.
SYMDIR="$top_srcdir/tests/symbolize"
CC=${CC_FOR_TESTS:-${CC:-cc}}

sym_build() {
	B="$TMPD/build"
	mkdir -p "$B/src/kernel" "$B/src/include" "$B/src/drivers" "$B/mods" || return 1
	cp "$SYMDIR/kern-a.c" "$SYMDIR/kern-b.c" "$B/src/kernel/" &&
	cp "$SYMDIR/kern.h" "$B/src/include/" &&
	cp "$SYMDIR/mod.c" "$B/src/drivers/" || return 1
	(cd "$B/src" &&
	 $CC -g -O2 -fno-pie -no-pie -Wl,--build-id -Iinclude -o ../vmlinux \
		kernel/kern-a.c kernel/kern-b.c &&
	 $CC -g -O2 -Iinclude -c drivers/mod.c -o ../mods/test-mod.ko) || return 1
	command -v objcopy >/dev/null 2>&1 &&
		objcopy --add-section .note.gnu.build-id=/dev/null "$B/mods/test-mod.ko" \
			"$B/mods/tmp.o" 2>/dev/null && rm -f "$B/mods/tmp.o"
	return 0
}
unset DEBUGINFOD_URLS	# hermetic: no network lookups from the tests
