#!/usr/bin/env bash
# The bash completion (scripts/package/netstep.bash-completion) completes subcommands, options
# and option values, with or without bash-completion's helpers. $1: the completion file.
set -euo pipefail
source "$1"
complete -p netstep >/dev/null
fails=0
expect() {  # expect "WORDS..." "EXPECTED REPLIES"
    read -ra COMP_WORDS <<<"$1"
    [[ $1 == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) COMP_LINE="$1" COMP_POINT=${#1}
    COMPREPLY=()
    _netstep
    local got="${COMPREPLY[*]}"
    if [[ $got != "$2" ]]; then echo "completing '$1': expected '$2', got '$got'"; fails=1; fi
}
expect "netstep " "run check shell quiz export view"
expect "netstep vi" "view"
expect "netstep --v" "--version"
expect "netstep view --s" "--screenshot --step --size"
expect "netstep view --lang " "en fr it"
expect "netstep quiz --lang " "en fr it"
expect "netstep run x.yaml --p" "--pcap --pcap-link"
expect "netstep check --t" "--timeout"
exit "$fails"
