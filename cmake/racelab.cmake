# racelab.cmake - the one place the lab build flags are defined.
#
# Lab and solution programs are compiled with RACELAB_TSAN_FLAGS and the lab
# runtime force-included; the harness itself is built plain.  The harness
# gets the very same flags through the generated config.h, so a learner's
# file is built exactly like the shipped labs.

set(RACELAB_TSAN_FLAGS -fsanitize=thread -g -O1 -fno-omit-frame-pointer
    -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter -pthread
    CACHE STRING "Flags for lab and solution programs")
# The runtime: only function entry/exit instrumented, so TSan's stacks show
# the learner's line behind each wrapper, while its atomics stay invisible.
# gcc has no such switches: there the runtime is built plain, which keeps it
# invisible too, at the price of the caller's line in thread-creation stacks.
if(CMAKE_C_COMPILER_ID STREQUAL "Clang")
  set(RACELAB_RT_FLAGS -fsanitize=thread -fno-sanitize-thread-memory-access
      -fno-sanitize-thread-atomics -g -O1 -fno-omit-frame-pointer -D_GNU_SOURCE)
else()
  set(RACELAB_RT_FLAGS -g -O1 -fno-omit-frame-pointer -D_GNU_SOURCE)
endif()
set(RACELAB_LAB_LINK_FLAGS -fsanitize=thread -pthread)

# Fails the configure step with the exact fix when the compiler cannot build
# and link a ThreadSanitizer program (e.g. clang without libclang-rt-N-dev).
function(racelab_require_tsan)
  include(CheckCSourceCompiles)
  set(CMAKE_REQUIRED_FLAGS "-fsanitize=thread")
  set(CMAKE_REQUIRED_LINK_OPTIONS "-fsanitize=thread")
  check_c_source_compiles("int main(void){return 0;}" RACELAB_HAVE_TSAN)
  if(NOT RACELAB_HAVE_TSAN)
    message(FATAL_ERROR "${CMAKE_C_COMPILER} cannot link -fsanitize=thread programs.\n"
      "On Debian/Ubuntu install the runtime: apt-get install libclang-rt-dev (or libclang-rt-N-dev for clang-N), "
      "or for gcc: apt-get install libtsan2.  ./scripts/lab doctor says more.")
  endif()
endfunction()

# Reads labs/labs.txt (the registry) into RACELAB_LABS, in teaching order.
function(racelab_read_registry out)
  file(STRINGS "${PROJECT_SOURCE_DIR}/labs/labs.txt" lines)
  set(names "")
  foreach(line IN LISTS lines)
    string(STRIP "${line}" line)
    if(line STREQUAL "" OR line MATCHES "^#")
      continue()
    endif()
    string(REGEX MATCH "^[a-z0-9_]+" name "${line}")
    if(name IN_LIST names)
      message(FATAL_ERROR "labs/labs.txt lists '${name}' twice: each lab once, in teaching order")
    endif()
    list(APPEND names "${name}")
  endforeach()
  set(${out} "${names}" PARENT_SCOPE)
endfunction()

# Builds one lab: its driver as a library (so a learner's check compiles one
# file), the buggy program, and every solution found.
function(racelab_add_lab name)
  set(dir "${PROJECT_SOURCE_DIR}/labs/${name}")
  set(out "${PROJECT_BINARY_DIR}/labs/${name}")
  add_library(lab_${name}_driver STATIC "${dir}/test_${name}.c")
  target_compile_options(lab_${name}_driver PRIVATE ${RACELAB_TSAN_FLAGS}
    -include "${PROJECT_SOURCE_DIR}/harness/rt/racelab_rt.h")
  target_include_directories(lab_${name}_driver PRIVATE "${dir}" "${PROJECT_SOURCE_DIR}/harness/rt")
  set_target_properties(lab_${name}_driver PROPERTIES ARCHIVE_OUTPUT_DIRECTORY "${out}"
    OUTPUT_NAME driver)
  set(programs "buggy=${dir}/${name}.c")
  file(GLOB sols CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/solutions/${name}/${name}*.c")
  list(SORT sols)
  foreach(sol IN LISTS sols)
    get_filename_component(stem "${sol}" NAME_WE)
    string(REPLACE "${name}" "fixed" variant "${stem}")
    list(APPEND programs "${variant}=${sol}")
  endforeach()
  file(GLOB wrongs CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/tests/wrong_fixes/${name}/*.c")
  list(SORT wrongs)
  foreach(w IN LISTS wrongs)
    get_filename_component(stem "${w}" NAME_WE)
    list(APPEND programs "wrong_${stem}=${w}")
  endforeach()
  # A wrong fix can also be a patch against the lab's buggy program or its
  # solution (named in its "--- a/..." line): for long programs the patch is
  # the lesson, and the program is not written out twice.
  file(GLOB wrong_patches CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/tests/wrong_fixes/${name}/*.patch")
  list(SORT wrong_patches)
  foreach(w IN LISTS wrong_patches)
    get_filename_component(stem "${w}" NAME_WE)
    file(STRINGS "${w}" base REGEX "^--- a/" LIMIT_COUNT 1)
    string(REGEX REPLACE "^--- a/([^ \t]*).*" "\\1" base "${base}")
    if(base STREQUAL "")
      message(FATAL_ERROR "${w}: no '--- a/<base file>' line")
    endif()
    if(NOT RACELAB_PATCH)
      find_program(RACELAB_PATCH patch)
      if(NOT RACELAB_PATCH)
        message(FATAL_ERROR "the wrong fixes in tests/wrong_fixes/*/*.patch need patch: apt-get install patch")
      endif()
    endif()
    set(gen "${out}/wrong_src/${stem}.c")
    add_custom_command(OUTPUT "${gen}"
      COMMAND ${CMAKE_COMMAND} -E make_directory "${out}/wrong_src"
      COMMAND "${RACELAB_PATCH}" -s -p1 -o "${gen}" -i "${w}" "${PROJECT_SOURCE_DIR}/${base}"
      DEPENDS "${w}" "${PROJECT_SOURCE_DIR}/${base}"
      WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
      COMMENT "wrong fix ${name}/${stem}: ${base} + ${stem}.patch")
    list(APPEND programs "wrong_${stem}=${gen}")
  endforeach()
  foreach(p IN LISTS programs)
    string(REGEX REPLACE "=.*" "" variant "${p}")
    string(REGEX REPLACE "^[^=]*=" "" src "${p}")
    set(tgt lab_${name}_${variant})
    add_executable(${tgt} "${src}")
    target_compile_options(${tgt} PRIVATE ${RACELAB_TSAN_FLAGS}
      -include "${PROJECT_SOURCE_DIR}/harness/rt/racelab_rt.h")
    target_include_directories(${tgt} PRIVATE "${dir}" "${PROJECT_SOURCE_DIR}/harness/rt")
    target_link_libraries(${tgt} PRIVATE lab_${name}_driver racelab_rt)
    target_link_options(${tgt} PRIVATE ${RACELAB_LAB_LINK_FLAGS})
    set_target_properties(${tgt} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${out}" OUTPUT_NAME ${variant})
    add_dependencies(racelab_labs ${tgt})
  endforeach()
  set(kind_labels "")
  racelab_lab_expect("${dir}/${name}.c" kinds)
  add_test(NAME pair.${name}.buggy COMMAND racelab pair-side ${name} buggy)
  set_tests_properties(pair.${name}.buggy PROPERTIES LABELS "pair;lab;${name};buggy;${kinds}")
  foreach(p IN LISTS programs)
    string(REGEX REPLACE "=.*" "" variant "${p}")
    if(variant STREQUAL "buggy")
      continue()
    endif()
    add_test(NAME pair.${name}.${variant} COMMAND racelab pair-side ${name} ${variant})
    if(variant MATCHES "^wrong_")
      set_tests_properties(pair.${name}.${variant} PROPERTIES LABELS "pair;wrong-fix;${name}")
    else()
      set_tests_properties(pair.${name}.${variant} PROPERTIES LABELS "pair;solution;${name}")
    endif()
  endforeach()
endfunction()

# The "Expect:" line of a lab's buggy program, as a CMake list.
function(racelab_lab_expect file out)
  file(STRINGS "${file}" line REGEX "^ \\* Expect:" LIMIT_COUNT 1)
  string(REGEX REPLACE "^ \\* Expect:[ ]*" "" line "${line}")
  string(REGEX REPLACE "[ ]+" ";" line "${line}")
  set(${out} "${line}" PARENT_SCOPE)
endfunction()

function(racelab_add_all_labs)
  add_custom_target(racelab_labs ALL)
  racelab_read_registry(labs)
  foreach(lab IN LISTS labs)
    racelab_add_lab(${lab})
  endforeach()
  set_property(DIRECTORY "${PROJECT_SOURCE_DIR}" APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
    "${PROJECT_SOURCE_DIR}/labs/labs.txt")
endfunction()
