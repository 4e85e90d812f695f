# Run by ctest (lint.cmake_recipes): installs the build tree BUILD_DIR into a
# fresh prefix, then exercises the documented build-system recipes on the
# project next to this file:
#   1. sendsync_add_lint_target() from the installed package: a clean target
#      passes, one with a finding fails and writes SARIF, a baseline target
#      fails until the finding is recorded;
#   2. CMAKE_CXX_CLANG_TIDY with sendsync-tidy, and with clang-tidy and the
#      plugin: the build fails on the file with the finding only.
#
#   cmake -DBUILD_DIR=... -DWORK_DIR=... -DCXX_COMPILER=... -DCLANG_TIDY=...
#         -P lint_project_test.cmake
cmake_minimum_required(VERSION 3.20)
foreach(var BUILD_DIR WORK_DIR CXX_COMPILER CLANG_TIDY)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "lint_project_test.cmake: -D${var}=... is required")
  endif()
endforeach()
set(source ${CMAKE_CURRENT_LIST_DIR})
set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# run(<expect: ok|fail> <step> <command>...): output in ${step}_out.
function(run expect step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(expect STREQUAL "ok" AND NOT rc EQUAL 0)
    message(FATAL_ERROR "${step} failed (${rc}):\n${out}")
  elseif(expect STREQUAL "fail" AND rc EQUAL 0)
    message(FATAL_ERROR "${step} succeeded but should have failed:\n${out}")
  endif()
  set(${step}_out "${out}" PARENT_SCOPE)
  message(STATUS "${step}: ${expect} as expected")
endfunction()

function(expect_in text what)
  string(FIND "${text}" "${what}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "expected '${what}' in:\n${text}")
  endif()
endfunction()

set(finding "capture 'lk' cannot be sent to another thread")

run(ok install ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(f bin/sendsync-tidy lib/libSendSyncTidy.so lib/cmake/sendsync/sendsyncLint.cmake)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "${f} was not installed")
  endif()
endforeach()

# 1. sendsync_add_lint_target()
set(build ${WORK_DIR}/helper)
run(ok configure ${CMAKE_COMMAND} -S ${source} -B ${build} -G Ninja
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
run(ok lint_clean ${CMAKE_COMMAND} --build ${build} --target summer_sendsync_lint)
run(fail lint_app ${CMAKE_COMMAND} --build ${build} --target app_sendsync_lint)
expect_in("${lint_app_out}" "handoff.cpp:7:18: error: ${finding}")
file(READ ${build}/app.sarif sarif)
expect_in("${sarif}" "\"version\": \"2.1.0\"")
expect_in("${sarif}" "\"ruleId\": \"sendsync-send\"")
run(fail lint_baselined ${CMAKE_COMMAND} --build ${build} --target app_lint_baselined)
expect_in("${lint_baselined_out}" "1 finding not in the baseline (0 in it)")
# Record the finding (as a team adopting the checks would), then it passes.
file(COPY ${source}/ DESTINATION ${WORK_DIR}/project)
run(ok configure_copy ${CMAKE_COMMAND} -S ${WORK_DIR}/project -B ${build}-copy -G Ninja
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
run(ok baseline_write ${prefix}/bin/sendsync-tidy -p ${build}-copy
    --checks=-*,sendsync-* --baseline-write=${WORK_DIR}/project/app-baseline.json --quiet
    ${WORK_DIR}/project/src/main.cpp ${WORK_DIR}/project/src/handoff.cpp)
run(ok lint_baselined_after ${CMAKE_COMMAND} --build ${build}-copy --target app_lint_baselined)
expect_in("${lint_baselined_after_out}" "0 findings not in the baseline (1 in it)")

# 2. CMAKE_CXX_CLANG_TIDY, with the standalone driver and with the plugin.
set(checks "--checks=-*,sendsync-*" "--warnings-as-errors=sendsync-*")
foreach(variant standalone plugin)
  if(variant STREQUAL "standalone")
    set(tidy ${prefix}/bin/sendsync-tidy ${checks})
  else()
    set(tidy ${CLANG_TIDY} --load=${prefix}/lib/libSendSyncTidy.so ${checks})
  endif()
  set(build ${WORK_DIR}/co-compile-${variant})
  # A cache script: a list value cannot pass through a command line here.
  file(WRITE ${WORK_DIR}/${variant}.cmake
       "set(CMAKE_CXX_CLANG_TIDY \"${tidy}\" CACHE STRING \"\")\n")
  run(ok configure_${variant} ${CMAKE_COMMAND} -S ${source} -B ${build} -G Ninja
      -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
      -C ${WORK_DIR}/${variant}.cmake)
  run(ok build_summer_${variant} ${CMAKE_COMMAND} --build ${build} --target summer)
  run(fail build_app_${variant} ${CMAKE_COMMAND} --build ${build} --target app)
  expect_in("${build_app_${variant}_out}" "handoff.cpp:7:18: error: ${finding}")
endforeach()
