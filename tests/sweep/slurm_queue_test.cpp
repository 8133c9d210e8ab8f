// Which jobs of earlier Slurm submissions Slurm still holds, with squeue's answers made up: a
// second submission of a sweep leaves out the jobs a queued or running task will run.
#include "framework/sweep/launchers/slurm_queue.h"

#include <gtest/gtest.h>

#include "tests/test_support.h"

namespace aelab {
namespace {

TEST(SlurmQueue, ParsesTasksAndTheRangesSqueueFoldsPendingOnesInto) {
  const std::vector<QueuedTask> tasks = parse_queued_tasks(
      "0 RUNNING\n[2-4%1] PENDING\n5,7 REQUEUED\n6 COMPLETING\n8 COMPLETED\nN/A PENDING\n\n");
  std::vector<std::pair<int64_t, std::string>> seen;
  for (const auto& task : tasks) seen.emplace_back(task.task, task.state);
  EXPECT_EQ(seen, (std::vector<std::pair<int64_t, std::string>>{{0, "RUNNING"},
                                                                {2, "PENDING"},
                                                                {3, "PENDING"},
                                                                {4, "PENDING"},
                                                                {5, "REQUEUED"},
                                                                {7, "REQUEUED"}}));
}

TEST(SlurmQueue, FindsTheJobsEarlierArraysStillHold) {
  testing::ScratchDir dir;
  // Submission 1 (array 100): jobs a, b, c; its task 0 ended. Submission 2 (array 200): job d.
  // Submission 3 was refused: no id, so no array holds its job e.
  dir.write("submission-1.jobs", "/r/jobs/a.yaml\n/r/jobs/b.yaml\n/r/jobs/c.yaml\n");
  dir.write("submission-1.id", "100\n");
  dir.write("submission-2.jobs", "/r/jobs/d.yaml\n");
  dir.write("submission-2.id", "200\n");
  dir.write("submission-3.jobs", "/r/jobs/e.yaml\n");
  std::vector<std::string> asked;
  const SqueueCall squeue = [&](const std::string& id, int& code) -> std::string {
    asked.push_back(id);
    code = 0;
    if (id == "100") return "1 RUNNING\n2 PENDING\n";
    code = 1;
    return "slurm_load_jobs error: Invalid job id specified";
  };
  std::vector<std::string> warnings;
  const auto queued = jobs_still_queued(
      dir.path(), {"/r/jobs/b.yaml", "/r/jobs/d.yaml", "/r/jobs/e.yaml"}, squeue, warnings);
  EXPECT_EQ(
      queued,
      (std::map<std::string, std::string>{{"/r/jobs/b.yaml", "Slurm array job 100_1, RUNNING"}}));
  EXPECT_EQ(asked, (std::vector<std::string>{"100", "200"}));
  EXPECT_TRUE(warnings.empty());

  // A submission listing none of the jobs asked about is not asked about.
  asked.clear();
  jobs_still_queued(dir.path(), {"/r/jobs/d.yaml"}, squeue, warnings);
  EXPECT_EQ(asked, (std::vector<std::string>{"200"}));

  // squeue that cannot reach the controller: a warning, and the job counts as not queued.
  const SqueueCall unreachable = [](const std::string&, int& code) -> std::string {
    code = 1;
    return "squeue: error: resolve_ctls_from_dns_srv: res_nsearch error\n"
           "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n";
  };
  EXPECT_TRUE(jobs_still_queued(dir.path(), {"/r/jobs/c.yaml"}, unreachable, warnings).empty());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("array job 100 (submission 1)"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("res_nsearch error / slurm_load_jobs error: Unable to contact"),
            std::string::npos)
      << warnings[0];
}

}  // namespace
}  // namespace aelab
