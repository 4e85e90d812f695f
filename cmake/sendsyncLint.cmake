# sendsync_add_lint_target: run the sendsync checks over a target's sources.
#
# Installed with the checker and loaded by find_package(sendsync):
#
#   find_package(sendsync CONFIG REQUIRED)
#   add_executable(server main.cpp worker.cpp)
#   sendsync_add_lint_target(server)       # adds the target server_sendsync_lint
#
#   cmake --build build --target server_sendsync_lint
#
# sendsync_add_lint_target(<target>
#     [NAME <name>]              lint target name (default <target>_sendsync_lint)
#     [CHECKS <globs>]           clang-tidy --checks (default '-*,sendsync-*')
#     [BASELINE <file>]          fail only on findings not recorded in <file>
#     [SARIF <file>]             also write a SARIF 2.1.0 log to <file>
#     [ARGS <arg>...]            further sendsync-tidy arguments
#     [ALL])                     run as part of the default build
#
# The lint target fails when the checks find something (every sendsync-*
# finding is an error here; with BASELINE, every new finding), when a source
# does not compile, or on bad configuration. It reads the target's compile
# commands from the build's compile_commands.json, which it turns on for the
# target (EXPORT_COMPILE_COMMANDS), so the flags are exactly the build's.

include_guard(GLOBAL)

get_filename_component(_sendsync_lint_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
find_program(SENDSYNC_TIDY_EXECUTABLE sendsync-tidy
  HINTS "${_sendsync_lint_prefix}/bin"
  DOC "sendsync-tidy, the sendsync checks' driver")

function(sendsync_add_lint_target target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "ALL" "NAME;CHECKS;BASELINE;SARIF" "ARGS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "sendsync_add_lint_target: unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "sendsync_add_lint_target: '${target}' is not a target")
  endif()
  if(NOT SENDSYNC_TIDY_EXECUTABLE)
    message(FATAL_ERROR "sendsync_add_lint_target: sendsync-tidy not found; "
      "install sendsync's checker or set SENDSYNC_TIDY_EXECUTABLE")
  endif()
  if(NOT CMAKE_GENERATOR MATCHES "Makefiles|Ninja")
    message(FATAL_ERROR "sendsync_add_lint_target: compile_commands.json needs "
      "a Makefile or Ninja generator, not '${CMAKE_GENERATOR}'")
  endif()
  set(name ${target}_sendsync_lint)
  if(arg_NAME)
    set(name ${arg_NAME})
  endif()

  # The target's own C and C++ sources, as absolute paths; headers are
  # analysed through them, generated or generator-expression sources skipped.
  get_target_property(sources ${target} SOURCES)
  get_target_property(source_dir ${target} SOURCE_DIR)
  set(files)
  foreach(src IN LISTS sources)
    if(src MATCHES "\\$<" OR NOT src MATCHES "\\.(c|cc|cpp|cxx|c\\+\\+|C)$")
      continue()
    endif()
    cmake_path(ABSOLUTE_PATH src BASE_DIRECTORY ${source_dir} NORMALIZE OUTPUT_VARIABLE abs)
    list(APPEND files ${abs})
  endforeach()
  if(NOT files)
    message(FATAL_ERROR "sendsync_add_lint_target: '${target}' has no C or C++ sources")
  endif()
  set_property(TARGET ${target} PROPERTY EXPORT_COMPILE_COMMANDS ON)

  if(NOT arg_CHECKS)
    set(arg_CHECKS "-*,sendsync-*")
  endif()
  set(args -p ${CMAKE_BINARY_DIR} "--checks=${arg_CHECKS}")
  if(arg_BASELINE)
    cmake_path(ABSOLUTE_PATH arg_BASELINE BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
    list(APPEND args "--baseline=${arg_BASELINE}")
  else()
    list(APPEND args "--warnings-as-errors=sendsync-*")
  endif()
  if(arg_SARIF)
    cmake_path(ABSOLUTE_PATH arg_SARIF BASE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
    list(APPEND args --format=sarif "--output=${arg_SARIF}")
  endif()
  list(APPEND args ${arg_ARGS})

  set(all)
  if(arg_ALL)
    set(all ALL)
  endif()
  add_custom_target(${name} ${all}
    COMMAND ${SENDSYNC_TIDY_EXECUTABLE} ${args} ${files}
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
    COMMENT "sendsync: checking ${target}"
    VERBATIM)
endfunction()
