#!/usr/bin/env bash
# What a change must pass: prints "content" or "everything" (the reason goes to stderr).
#
#   bash .ci/scope.sh BEFORE        BEFORE: the commit before the push (github.event.before),
#                                   or a pull request's base; empty or all zeros: "everything"
#
# "content": every file changed between BEFORE and HEAD is one an editor writes, whose effect
# the real-site tests (tests/real_site) judge for any valid content:
#   content/        pages
#   data/           data files — except data/strings/ (interface texts: templates and engine
#                   tests depend on them)
#   docs/           the editors' guide
#   static/images/  pictures
# Anything else (sitegen/, templates/, the stylesheet and fonts, tests/, the workflows, this
# script, requirements…) is "everything": the whole suite. So is a BEFORE this clone does not
# have (a force push; a shallow clone: check out with fetch-depth: 0).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

before="${1:-}"
say() { echo "scope: $*" >&2; }

if [ -z "$before" ] || [ -z "${before//0/}" ]; then
  say "no previous commit to compare with (a new branch, a manual run): everything"
  echo everything
  exit 0
fi
if ! git cat-file -e "${before}^{commit}" 2>/dev/null; then
  say "$before is not in this clone (a force push, or a shallow clone): everything"
  echo everything
  exit 0
fi

# --no-renames: a file moved from templates/ into content/ counts at both of its paths.
changed=$(git diff --name-only --no-renames "$before" HEAD)
count=0
while IFS= read -r path; do
  [ -n "$path" ] || continue
  case "$path" in
    data/strings/*) ;; # interface texts: not content, see above
    content/* | data/* | docs/* | static/images/*) count=$((count + 1)); continue ;;
  esac
  say "not content: $path — everything"
  echo everything
  exit 0
done <<<"$changed"
say "content only ($count files changed since ${before:0:7}): the real-site tests"
echo content
