# Writes the ctest file of one GoogleTest binary: one test per suite, its cases run in one
# process. Each process of a LibTorch binary spends about 0.9 s loading LibTorch before its first
# case; one process per case spent that some 200 times a `make test`. The suites come from the
# binary's own --gtest_list_tests (as gtest_discover_tests reads its cases), so none is missed.
# Run after each link: cmake -DBINARY=... -DOUTPUT=... -DTIMEOUT=... -P suite_tests.cmake
execute_process(COMMAND "${BINARY}" --gtest_list_tests
                OUTPUT_VARIABLE listing RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${BINARY} --gtest_list_tests failed (${status}):\n${listing}")
endif()
string(REPLACE "\n" ";" lines "${listing}")
# The suites that run run_sweep many times, started first so that short ones fill in beside them
# (ctest orders by COST where it has no timings of its own yet: a fresh clone).
set(long_suites Preflight SweepEndToEnd SavedRuns StackedSweep FeatureExperiments AnomalySweep
    RunSweepModes)
set(content "")
foreach(line IN LISTS lines)
  # A suite's line ends in a dot and starts unindented ("Pca.", "AllPriors/PriorConformance.
  # # TypeParam = ..."); its cases follow, indented.
  if(line MATCHES "^([A-Za-z0-9_/]+)\\.( |$)")
    set(suite "${CMAKE_MATCH_1}")
    string(APPEND content "add_test([=[${suite}]=] \"${BINARY}\" [=[--gtest_filter=${suite}.*]=])\n"
           "set_tests_properties([=[${suite}]=] PROPERTIES TIMEOUT ${TIMEOUT})\n")
    list(FIND long_suites "${suite}" long)
    if(NOT long EQUAL -1)
      string(APPEND content "set_tests_properties([=[${suite}]=] PROPERTIES COST 50)\n")
    endif()
  endif()
endforeach()
file(WRITE "${OUTPUT}" "${content}")
