# Writes the ctest file of one GoogleTest binary. Each process of a LibTorch binary spends
# about 0.9 s loading LibTorch before its first case (more while other tests load the cores), so
# the suites that take seconds of their own (they run run_sweep many times) are a test each,
# started first, and the binary's other suites are one test, `<binary>.short` (about a hundred
# processes fewer; a failure's output names its case). The suites come from the binary's own
# --gtest_list_tests (as gtest_discover_tests reads its cases), so none is missed.
# Run after each link: cmake -DBINARY=... -DOUTPUT=... -DTIMEOUT=... -P suite_tests.cmake
execute_process(COMMAND "${BINARY}" --gtest_list_tests
                OUTPUT_VARIABLE listing RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${BINARY} --gtest_list_tests failed (${status}):\n${listing}")
endif()
string(REPLACE "\n" ";" lines "${listing}")
# The suites that run run_sweep many times, or fork workers, started first so that short ones
# fill in beside them (ctest orders by COST where it has no timings of its own yet: a fresh
# clone).
set(long_suites Preflight SweepEndToEnd SavedRuns StackedSweep FeatureExperiments AnomalySweep
    RunSweepModes ForkedSweep WorkerForker ToySupervisedExperiment)
set(content "")
set(short_filter "")
foreach(line IN LISTS lines)
  # A suite's line ends in a dot and starts unindented ("Pca.", "AllPriors/PriorConformance.
  # # TypeParam = ..."); its cases follow, indented.
  if(line MATCHES "^([A-Za-z0-9_/]+)\\.( |$)")
    set(suite "${CMAKE_MATCH_1}")
    list(FIND long_suites "${suite}" long)
    if(long EQUAL -1)
      string(APPEND short_filter "${suite}.*:")
    else()
      string(APPEND content
             "add_test([=[${suite}]=] \"${BINARY}\" [=[--gtest_filter=${suite}.*]=])\n"
             "set_tests_properties([=[${suite}]=] PROPERTIES TIMEOUT ${TIMEOUT} COST 50)\n")
    endif()
  endif()
endforeach()
if(short_filter)
  get_filename_component(binary_name "${BINARY}" NAME)
  string(APPEND content
         "add_test([=[${binary_name}.short]=] \"${BINARY}\" [=[--gtest_filter=${short_filter}]=])\n"
         "set_tests_properties([=[${binary_name}.short]=] PROPERTIES TIMEOUT ${TIMEOUT})\n")
endif()
file(WRITE "${OUTPUT}" "${content}")
