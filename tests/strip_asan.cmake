# strip_asan(VAR): removes from VAR the warning ASan prints once per process when SimGrid switches
# its actors' stacks ("ASan is ignoring requested __asan_handle_no_return", not an error), so that
# tests comparing standard error hold under the asan preset too (lines end in \r\n on a terminal).
macro(strip_asan var)
  string(REGEX REPLACE "==[0-9]+==WARNING: ASan is ignoring requested __asan_handle_no_return[^\r\n]*\r?\nFalse positive error reports may follow\r?\nFor details see [^\r\n]*\r?\n"
         "" ${var} "${${var}}")
endmacro()
