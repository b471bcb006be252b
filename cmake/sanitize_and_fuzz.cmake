# LLMUX_SANITIZE and LLMUX_FUZZ. One clang build directory serves both (scripts/sanitize.sh and
# scripts/fuzz.sh share build-sanitize/): every target is compiled with ASan+UBSan, llmux_core
# also with libFuzzer's coverage instrumentation (whose callbacks the ASan runtime defines weakly,
# so llmux and the unit tests link without libFuzzer), and only the harnesses link libFuzzer. CI thus pays for one extra full build, not two.
include(CheckCXXCompilerFlag)

if(LLMUX_SANITIZE)
  # UB is fatal (-fno-sanitize-recover): a report that only prints would pass a test run unnoticed.
  set(LLMUX_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined
      -fno-omit-frame-pointer)
  # A double out of an integer's range (a JSON number cast to int) is UB, but not part of
  # -fsanitize=undefined in gcc; clang and gcc 12 both accept it on its own.
  check_cxx_compiler_flag(-fsanitize=float-cast-overflow LLMUX_HAS_FLOAT_CAST_OVERFLOW)
  if(LLMUX_HAS_FLOAT_CAST_OVERFLOW)
    list(APPEND LLMUX_SANITIZER_FLAGS -fsanitize=float-cast-overflow)
  endif()
  # clang 14's -fsanitize=function (in its `undefined` group) cannot compile a coroutine: the
  # assembler fails with "Cannot represent a difference across sections" (its prologue data
  # refers across the sections of the split coroutine). It only checks calls through a function
  # pointer of the wrong type, which this code base does not make.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    list(APPEND LLMUX_SANITIZER_FLAGS -fno-sanitize=function)
  endif()
  add_compile_options(${LLMUX_SANITIZER_FLAGS})
  add_link_options(${LLMUX_SANITIZER_FLAGS})
endif()

if(LLMUX_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "LLMUX_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  if(NOT LLMUX_SANITIZE)
    # The coverage callbacks of instrumented llmux_core code come from the ASan runtime in llmux.
    message(FATAL_ERROR "LLMUX_FUZZ needs LLMUX_SANITIZE=ON")
  endif()
endif()

# Coverage instrumentation for llmux_core (what the harnesses reach), then one executable per
# tests/fuzz/<target>_fuzz.cpp, named <target>_fuzz, in <build>/fuzz/.
function(llmux_add_fuzz_harnesses)
  target_compile_options(llmux_core PRIVATE -fsanitize=fuzzer-no-link)
  file(GLOB harnesses CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/fuzz/*_fuzz.cpp)
  foreach(source ${harnesses})
    get_filename_component(name ${source} NAME_WE)
    add_executable(${name} ${source})
    target_link_libraries(${name} PRIVATE llmux_core)
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz)
  endforeach()
endfunction()
