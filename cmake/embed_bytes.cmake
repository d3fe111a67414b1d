# Shared by embed_kb.cmake and embed_web.cmake: a file's bytes as a C++ array definition.
# Appends "const unsigned char <array>[] = {...};" to the variable named by BODY_VAR and sets SIZE_VAR to the
# file's size in bytes (the array has one more byte, a 0, so that an empty file is still a valid array).
function(embed_file_bytes file array BODY_VAR SIZE_VAR)
  file(READ "${file}" hex HEX)
  string(LENGTH "${hex}" hexlen)
  math(EXPR nbytes "${hexlen} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "((0x..,){32})" "\\1\n" bytes "${bytes}")
  set(${BODY_VAR} "${${BODY_VAR}}const unsigned char ${array}[] = {\n${bytes}0};\n" PARENT_SCOPE)
  set(${SIZE_VAR} ${nbytes} PARENT_SCOPE)
endfunction()
