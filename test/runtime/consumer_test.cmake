# Run by ctest (runtime.install_consumer): installs the runtime component of
# the build tree BUILD_DIR into a fresh prefix, then configures, builds and
# runs the project in CONSUMER_SOURCE_DIR against it with find_package.
#
#   cmake -DBUILD_DIR=... -DCONSUMER_SOURCE_DIR=... -DWORK_DIR=...
#         [-DCXX_COMPILER=...] [-DGENERATOR=...] -P consumer_test.cmake
cmake_minimum_required(VERSION 3.20)
foreach(var BUILD_DIR CONSUMER_SOURCE_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "consumer_test.cmake: -D${var}=... is required")
  endif()
endforeach()

set(prefix ${WORK_DIR}/prefix)
set(build ${WORK_DIR}/build)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

function(run step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${step} failed (${rc}):\n${out}")
  endif()
  message(STATUS "${step}: ok")
endfunction()

run("install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix}
    --component runtime)
if(NOT EXISTS ${prefix}/include/sendsync/annotations.h)
  message(FATAL_ERROR "annotations.h was not installed")
endif()

set(configure_args -S ${CONSUMER_SOURCE_DIR} -B ${build}
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release)
if(CXX_COMPILER)
  list(APPEND configure_args -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
endif()
if(GENERATOR)
  list(APPEND configure_args -G ${GENERATOR})
endif()
run("configure consumer" ${CMAKE_COMMAND} ${configure_args})
run("build consumer" ${CMAKE_COMMAND} --build ${build} -j 1)
run("run consumer" ${build}/sendsync_consumer)
