#!/usr/bin/env bash
# Checks what `make install` put under a prefix: the binary runs and prints its version, the man
# page renders, every completion script is in its shell's folder, and bash completes
# `winnow ma<TAB>` to `match` and `winnow match --co<TAB>` to `--count`.
#
#   Scripts/check-install.sh PREFIX
#
# CI runs it on `make install CONFIGURATION=debug PREFIX=$(mktemp -d)` (the debug build is already
# there from the tests); `make install-check` does the same with the release build.
set -euo pipefail
prefix=${1:?usage: Scripts/check-install.sh PREFIX}
fail() { echo "check-install: $*" >&2; exit 1; }

bin="$prefix/bin/winnow"
[ -x "$bin" ] || fail "no executable at $bin"
version=$("$bin" --version)
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+\ \(commit\ ([0-9a-f]{12}(-dirty)?|unknown)\)$ ]] \
  || fail "unexpected --version output: $version"

page="$prefix/share/man/man1/winnow.1"
[ -f "$page" ] || fail "no man page at $page"
# man(1) and groff come with man-db and groff-base; a machine without them cannot render it.
if ! command -v man >/dev/null 2>&1; then
  echo "check-install: installing man-db to render the page"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq man-db >/dev/null
fi
warnings=$(mktemp)
trap 'rm -f "$warnings"' EXIT
rendered=$(MANWIDTH=100 man -l "$page" 2>"$warnings")
[ ! -s "$warnings" ] || fail "man page warnings: $(cat "$warnings")"
for word in NAME SYNOPSIS DESCRIPTION check eval match explain --version; do
  grep -q -- "$word" <<<"$rendered" || fail "rendered man page lacks '$word'"
done

for script in share/bash-completion/completions/winnow share/zsh/site-functions/_winnow \
  share/fish/vendor_completions.d/winnow.fish; do
  [ -s "$prefix/$script" ] || fail "no completion script at $prefix/$script"
done
grep -q '^#compdef winnow' "$prefix/share/zsh/site-functions/_winnow" || fail "zsh script lacks #compdef"
grep -q "complete -c 'winnow'" "$prefix/share/fish/vendor_completions.d/winnow.fish" \
  || fail "fish script lacks: complete -c 'winnow'"

# Ask bash's completion function what it offers for a command line, as <TAB> would.
complete_line() {
  PATH="$prefix/bin:$PATH" bash --norc --noprofile -c '
    source "$1"
    line=$2
    read -r -a COMP_WORDS <<<"$line"
    [[ "$line" == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE=$line
    COMP_POINT=${#line}
    _winnow winnow "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf "%s\n" "${COMPREPLY[@]}"
  ' bash "$prefix/share/bash-completion/completions/winnow" "$1"
}
offered=$(complete_line "winnow ma")
[ "$offered" = match ] || fail "'winnow ma<TAB>' offered '$offered', expected 'match'"
offered=$(complete_line "winnow match --co")
grep -qx -- --count <<<"$offered" || fail "'winnow match --co<TAB>' offered '$offered'"
offered=$(complete_line "winnow ")
for subcommand in check eval match explain; do
  grep -qx "$subcommand" <<<"$offered" || fail "'winnow <TAB>' did not offer $subcommand"
done
echo "check-install: binary, man page and completions under $prefix work"
