#!/usr/bin/env bash
# house.sh - the code's shape, checked: short functions, small files, one-way
# module dependencies, and a one-line comment at the top of every file.
#
# Limits (the house rules in the README's design notes):
#   - no function in plugin/ longer than MAX_FUNC lines, '{' to '}';
#   - no file in plugin/ longer than MAX_FILE lines;
#   - no two modules that include each other's headers;
#   - every plugin/*.c and include/*.h starts with a "/* name - what */" line.
# Environment: top_srcdir (set by make check; defaults to this tree).
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
MAX_FUNC=80
MAX_FILE=900
pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() { echo "house: $*" >&2; fail=$((fail + 1)); }

# Functions, kernel style: a '{' alone in column 0 opens one, the first '}'
# in column 0 after it closes it; the name is on the header line above.
for f in "$top"/plugin/*.c; do
	while read -r n name; do
		if [ "$n" -gt "$MAX_FUNC" ]; then
			bad "${f#"$top"/}: $name is $n lines (at most $MAX_FUNC)"
		else
			ok
		fi
	done < <(awk '
		/^[A-Za-z_]/ { hdr = $0 }
		$0 == "{" { start = NR; name = hdr; sub(/\(.*/, "", name);
			    n = split(name, w, /[ *]+/); name = w[n] }
		/^}/ && start { print NR - start + 1, name; start = 0 }
	' "$f")
	lines=$(wc -l <"$f")
	if [ "$lines" -gt "$MAX_FILE" ]; then
		bad "${f#"$top"/}: $lines lines (at most $MAX_FILE)"
	else
		ok
	fi
done

# Module dependencies: module A (plugin/A.c and include/A.h) including "B.h"
# while module B includes "A.h" makes two modules one.
declare -A uses
for f in "$top"/plugin/*.c; do
	m=$(basename "$f" .c)
	hdr="$top/include/$m.h"
	[ -f "$hdr" ] || hdr=
	for h in $(sed -n 's/^#include "\([a-z_0-9]*\)\.h"/\1/p' "$f" $hdr); do
		[ "$h" = "$m" ] || uses[$m:$h]=1
	done
done
for k in "${!uses[@]}"; do
	a=${k%%:*} b=${k#*:}
	if [[ "$a" < "$b" ]] && [ -n "${uses[$b:$a]:-}" ]; then
		bad "plugin/$a.c and plugin/$b.c include each other's headers"
	else
		ok
	fi
done

# The first line of every source file says what it is for.
for f in "$top"/plugin/*.c "$top"/include/*.h; do
	b=$(basename "$f")
	if head -n 1 "$f" | grep -q "^/\* $b - .* \*/\$"; then
		ok
	else
		bad "${f#"$top"/}: the first line is not '/* $b - what it is for */'"
	fi
done

echo "house: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
