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
  size_t unreadable = 0;
  parse_queued_tasks("CLUSTER: north\nhello world\n3 PENDING\n4 PENDING extra\n", &unreadable);
  EXPECT_EQ(unreadable, 2u);
  EXPECT_EQ(seen, (std::vector<std::pair<int64_t, std::string>>{{0, "RUNNING"},
                                                                {2, "PENDING"},
                                                                {3, "PENDING"},
                                                                {4, "PENDING"},
                                                                {5, "REQUEUED"},
                                                                {7, "REQUEUED"}}));
}

TEST(SlurmQueue, ReadsTheArrayIdFromTheLastLineThatIsOne) {
  EXPECT_EQ(parsable_answer("4242\n").id, "4242");
  const SubmittedArray federated = parsable_answer("Job will use account lab\n5555;north\n");
  EXPECT_EQ(federated.id, "5555");
  EXPECT_EQ(federated.cluster, "north");
  // sbatch's answer without --parsable (a site's wrapper of sbatch): read as well.
  EXPECT_EQ(parsable_answer("Submitted batch job 77\n").id, "77");
  EXPECT_EQ(parsable_answer("Submitted batch job 78 on cluster north\n").cluster, "north");
  EXPECT_EQ(parsable_answer("sbatch: Submitted batch job 79\n").id, "79");
  EXPECT_EQ(parsable_answer("Submitted batch job soon\n").id, "");
  EXPECT_EQ(parsable_answer("").id, "");
  EXPECT_EQ(parsable_answer("12;\n").id, "");
}

TEST(SlurmQueue, FindsTheJobsEarlierArraysStillHold) {
  testing::ScratchDir dir;
  // Submission 1 (array 100): jobs a, b, c; its task 0 ended. Submission 3 (array 300, on a
  // cluster of a federation): job d; submission 2 was removed. Submission 4 was cut short
  // before its id was written: no array is known to hold its job e.
  dir.write("submission-1.jobs", "/r/jobs/a.yaml\n/r/jobs/b.yaml\n/r/jobs/c.yaml\n");
  dir.write("submission-1.id", submission_id_text(parsable_answer("100")));
  dir.write("submission-3.jobs", "/elsewhere//r/jobs/d.yaml\n");
  dir.write("submission-3.id", submission_id_text(parsable_answer("300;north\n")));
  dir.write("submission-4.jobs", "/r/jobs/e.yaml\n");
  std::vector<std::string> asked;
  const SqueueCall squeue = [&](const std::string& id, const std::string& cluster,
                                int& code) -> std::string {
    asked.push_back(id + "@" + cluster);
    code = 0;
    if (id == "100") return "1 RUNNING\n2 PENDING\n";
    if (id == "300" && cluster == "north") return "CLUSTER: north\n[0-0%1] PENDING\n";
    code = 1;
    return "slurm_load_jobs error: Invalid job id specified";
  };
  std::vector<std::string> warnings;
  const auto queued = jobs_still_queued(dir.path(), {"b", "d", "e"}, squeue, warnings);
  EXPECT_EQ(queued, (std::map<std::string, std::string>{{"b", "Slurm array job 100_1, RUNNING"},
                                                        {"d", "Slurm array job 300_0, PENDING"}}));
  EXPECT_EQ(asked, (std::vector<std::string>{"100@", "300@north"}));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("submission 4 has no array job id recorded"), std::string::npos)
      << warnings[0];

  // A submission listing none of the jobs asked about is not asked about; an array Slurm has
  // forgotten holds none.
  asked.clear();
  warnings.clear();
  EXPECT_TRUE(jobs_still_queued(dir.path(), {"a"}, squeue, warnings).empty());
  EXPECT_EQ(asked, (std::vector<std::string>{"100@"}));
  EXPECT_TRUE(warnings.empty());

  // squeue that cannot reach the controller: a warning, and the job counts as not queued.
  const SqueueCall unreachable = [](const std::string&, const std::string&,
                                    int& code) -> std::string {
    code = 1;
    return "squeue: error: resolve_ctls_from_dns_srv: res_nsearch error\n"
           "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n";
  };
  EXPECT_TRUE(jobs_still_queued(dir.path(), {"c"}, unreachable, warnings).empty());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("array job 100 (submission 1)"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("res_nsearch error / slurm_load_jobs error: Unable to contact"),
            std::string::npos)
      << warnings[0];

  // The submissions as --status lists them, by number.
  const std::vector<SlurmSubmission> all = slurm_submissions_in(dir.path());
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[1].number, 3);
  EXPECT_EQ(all[1].array.id, "300");
  EXPECT_EQ(squeue_command(all[1].array), "squeue -j 300 -M north");
  EXPECT_EQ(all[2].array.id, "");
}

}  // namespace
}  // namespace aelab
