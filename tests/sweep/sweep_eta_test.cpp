// The sweep ETA: jobs of a kind take as long as those of that kind so far, and parallel workers
// divide the work left.
#include "framework/sweep/progress/sweep_eta.h"

#include <gtest/gtest.h>

#include "framework/core/duration_text.h"
#include "framework/sweep/job_endings.h"
#include "framework/sweep/progress/job_claim.h"
#include "tests/test_support.h"

namespace aelab {
namespace {

TEST(SweepEta, JobsOfAKindTakeAsLongAsTheirKindSoFar) {
  SweepEta eta({"pca", "pca", "mlp", "mlp"});
  EXPECT_EQ(eta.seconds_left(), -1.0);  // nothing to go on yet
  eta.finished(0, 10, 10);
  EXPECT_DOUBLE_EQ(eta.seconds_left(), 30.0);  // no mlp job done: like the slowest kind so far
  EXPECT_FALSE(eta.firm());
  EXPECT_EQ(eta.progress(1, 4), "  [1/4 done, ETA at least 30s]");
  eta.finished(2, 100, 110);
  EXPECT_DOUBLE_EQ(eta.seconds_left(), 110.0);  // one pca (10 s) and one mlp (100 s) left
  EXPECT_TRUE(eta.firm());
  EXPECT_EQ(eta.progress(2, 4), "  [2/4 done, ETA 1m50s]");
  eta.finished(2, 100, 110);  // a job reported twice counts once
  EXPECT_DOUBLE_EQ(eta.seconds_left(), 110.0);
  eta.finished(1, 10, 120);
  eta.finished(3, 100, 220);
  EXPECT_EQ(eta.seconds_left(), 0.0);
}

TEST(SweepEta, RunningJobsCountWhatTheyHaveDone) {
  SweepEta eta({"a", "a", "a"});
  eta.finished(0, 10, 10);
  EXPECT_DOUBLE_EQ(eta.seconds_left(), 20.0);
  EXPECT_DOUBLE_EQ(eta.seconds_left({{1, {4.0}}}), 16.0);   // job 1 has run 4 s of its 10
  EXPECT_DOUBLE_EQ(eta.seconds_left({{1, {15.0}}}), 10.0);  // past its time: nothing left of it
  EXPECT_EQ(eta.progress(1, 3, {{1, {4.0}}}), "  [1/3 done, ETA 16s]");
  // Past its time but at epoch 3 of 4 after 15 s: 5 s more, at its own pace.
  EXPECT_DOUBLE_EQ(eta.seconds_left({{1, {15.0, 3, 4}}}), 15.0);
}

TEST(SweepEta, TheFirstWaveIsTimedByItsEpochs) {
  // Two workers, four jobs of 6 epochs, nothing completed: two jobs 3 s into their first epoch
  // of 6 take 15 s more, and the two after them 18 s each; two at a time.
  SweepEta eta({"a", "a", "a", "a"}, 2, {6, 6, 6, 6});
  EXPECT_EQ(eta.seconds_left({{0, {3.0}}, {1, {3.0}}}), -1.0);  // no epoch done: no pace yet
  const std::map<size_t, RunningJob> running = {{0, {3.0, 1, 6}}, {1, {3.0, 1, 6}}};
  EXPECT_DOUBLE_EQ(eta.seconds_left(running), (15.0 + 15.0 + 18.0 + 18.0) / 2);
  // A floor: what comes after the last epoch (the test set's evaluation) is not timed yet.
  EXPECT_FALSE(eta.firm());
  EXPECT_EQ(eta.progress(0, 4, running), "  [0/4 done, ETA at least 33s]");
  // Both past their last epoch, evaluating: the two after them, but nothing for these two.
  const std::map<size_t, RunningJob> evaluating = {{0, {18.0, 6, 6}}, {1, {18.0, 6, 6}}};
  EXPECT_EQ(eta.progress(0, 4, evaluating), "  [0/4 done, ETA at least 18s]");
  // Once one completes (20 s: 2 s after its epochs), its kind is timed, evaluation included.
  eta.finished(0, 20, 20);
  EXPECT_TRUE(eta.firm());
  EXPECT_EQ(eta.progress(1, 4, {{1, {18.0, 6, 6}}}), "  [1/4 done, ETA 21s]");
}

TEST(SweepEta, NothingToGoOnIsSaid) {
  SweepEta eta({"a", "a"}, 2, {6, 6});
  EXPECT_EQ(eta.progress(0, 2), "  [0/2 done, ETA not known yet]");
  // One job left, past its last epoch, of a kind none of which has completed.
  SweepEta untimed({"a", "b"}, 2, {6, 6});
  untimed.finished(0, 20, 20);
  EXPECT_EQ(untimed.progress(1, 2, {{1, {18.0, 6, 6}}}),
            "  [1/2 done, ETA: evaluating the last job]");
  // Two such jobs: both said. Where the other has not started, it is timed by the pace of
  // its kind's running job (18 s), two at a time.
  SweepEta two({"a", "b", "b"}, 2, {6, 6, 6});
  two.finished(0, 20, 20);
  EXPECT_EQ(two.progress(1, 3, {{1, {18.0, 6, 6}}, {2, {18.0, 6, 6}}}),
            "  [1/3 done, ETA: evaluating the last 2 jobs]");
  EXPECT_EQ(two.progress(1, 3, {{1, {18.0, 6, 6}}}), "  [1/3 done, ETA at least 9s]");
  // A job of a timed kind that takes longer than its kind did: evaluating, or projected from
  // its own epochs (5.8 s each; 1 s into its last: 4.8 s more).
  SweepEta timed({"a", "a"}, 1, {6, 6});
  timed.finished(0, 20, 20);
  EXPECT_EQ(timed.progress(1, 2, {{1, {30.0, 6, 6}}}),
            "  [1/2 done, ETA: evaluating the last job]");
  EXPECT_EQ(timed.progress(1, 2, {{1, {30.0, 5, 6, 0, 29.0}}}), "  [1/2 done, ETA 5s]");
  // Slower than its kind, half-way: its own pace (19 s for 3 epochs) says 19 s are left, not its
  // kind's time (20 s, nearly spent).
  EXPECT_EQ(timed.progress(1, 2, {{1, {19.0, 3, 6, 0, 19.0}}}), "  [1/2 done, ETA 19s]");
  // Past its kind's time and its own epochs' pace, not evaluating yet: said so.
  EXPECT_EQ(timed.progress(1, 2, {{1, {40.0}}}), "  [1/2 done, ETA: running past the estimate]");
}

TEST(SweepEta, TheEpochUnderWayIsNoPartOfThePace) {
  // One 3-epoch job whose first epoch ended 10 s in: 30 s in all, so 15 s left at 15 s and 12 s
  // at 18 s. Timed by all its seconds over one epoch, the floor would rise as the epoch runs.
  SweepEta eta({"a"}, 1, {3});
  EXPECT_DOUBLE_EQ(eta.seconds_left({{0, {15.0, 1, 3, 0, 10.0}}}), 15.0);
  EXPECT_DOUBLE_EQ(eta.seconds_left({{0, {18.0, 1, 3, 0, 10.0}}}), 12.0);
  EXPECT_DOUBLE_EQ(eta.seconds_left({{0, {18.0, 1, 3}}}), 36.0);  // its last epoch's end unknown
  // 30 s since it started, of which 20 s loaded its data (or pretrained) before its own first
  // epoch (10 s), 2 s into its second: 18 s left, not a pace of 30 s an epoch.
  EXPECT_DOUBLE_EQ(eta.seconds_left({{0, {30.0, 1, 3, 0, 10.0, 2.0}}}), 18.0);
}

TEST(SweepEta, AKindIsTimedPerEpochWhereEpochsAreKnown) {
  // A sweep of trainer.epochs: 2, 8, 3 epochs of one kind; the 2-epoch job took 4 s.
  SweepEta eta({"mlp", "mlp", "mlp"}, 1, {2, 8, 3});
  eta.finished(0, 4, 4);
  EXPECT_DOUBLE_EQ(eta.seconds_left(), 16.0 + 6.0);
}

TEST(SweepEta, AResumedRunCountsOnlyItsTimeInThisSweepForThePace) {
  // Two workers, four 10-epoch jobs of one kind. Job 0 resumed at epoch 8 and completed 2 s into
  // the sweep; its run took 10 s over both attempts. Its kind takes 10 s a job, but the sweep
  // has done 2 s of work in 2 s, not 10: the pace stays at the two workers, not the jobs left.
  SweepEta eta({"a", "a", "a", "a"}, 2, {10, 10, 10, 10});
  eta.finished(0, 10, 2, 2);
  EXPECT_DOUBLE_EQ(eta.seconds_left(), 30.0 / 2);
  SweepEta counted_all({"a", "a", "a", "a"}, 2, {10, 10, 10, 10});
  counted_all.finished(0, 10, 2);  // without this attempt's time: 5 jobs' work a second
  EXPECT_DOUBLE_EQ(counted_all.seconds_left(), 30.0 / 3);
}

TEST(SweepEta, AResumedRunningJobIsTimedByTheEpochsOfThisAttempt) {
  // Nothing completed; job 0 resumed at epoch 6 of 10 and is at epoch 8 after 4 s: 2 s an epoch,
  // so 4 s more for it, and 20 s for job 1.
  SweepEta eta({"a", "a"}, 1, {10, 10});
  const std::map<size_t, RunningJob> running = {{0, {4.0, 8, 10, 6}}};
  EXPECT_DOUBLE_EQ(running.at(0).epoch_seconds(), 2.0);
  EXPECT_DOUBLE_EQ(eta.seconds_left(running), 4.0 + 20.0);
  // Once its kind is timed (20 s a job), its earlier attempt's 6 epochs count as done.
  eta.finished(1, 20, 20);
  EXPECT_DOUBLE_EQ(eta.seconds_left(running), 20.0 - 12.0 - 4.0);
}

TEST(SweepEta, TheProgressLineNamesTheRunningJobsAndTheirEpochs) {
  testing::ScratchDir dir;
  SweepPlan plan;
  plan.name = "x";
  plan.results_dir = dir.path();
  for (int64_t i = 0; i < 3; ++i) plan.jobs.push_back({i, {}, {}, "", "run" + std::to_string(i)});
  JobEndings endings(plan, {&plan.jobs[0], &plan.jobs[1], &plan.jobs[2]}, 2);
  auto first = JobClaim::take(dir.path(), "run1");
  auto second = JobClaim::take(dir.path(), "run2");
  ASSERT_TRUE(first && second);
  first->epoch_started("", 3, 10);
  ::testing::internal::CaptureStdout();
  endings.say_progress_every(0);
  const std::string line = ::testing::internal::GetCapturedStdout();
  // The ETA after it is that of jobs a few milliseconds old (SweepEta's own tests check it).
  EXPECT_EQ(line.rfind("running #1 epoch 3/10, #2 starting  [0/3 done", 0), 0u) << line;
  ::testing::internal::CaptureStdout();
  endings.say_progress_every(3600);  // said a moment ago: not again yet
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "");
  // Past its last epoch, a job is evaluating, as --status says too; one that stopped early
  // (diverged) is after the last epoch it ran.
  first->epoch_done("", 3, 10);
  second->epoch_done("", 4, 4);
  ::testing::internal::CaptureStdout();
  endings.say_progress_every(0);
  const std::string later = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(later.rfind("running #1 after epoch 3/10, #2 evaluating after epoch 4/4  [0/3 done", 0),
            0u)
      << later;
  // After the last epoch of another training than the run's own (a transfer run's pretraining),
  // more may follow: neither the job nor the ETA says it is evaluating.
  second->epoch_done("pretraining", 2, 2);
  ::testing::internal::CaptureStdout();
  endings.say_progress_every(0);
  const std::string staged = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(
      staged.rfind("running #1 after epoch 3/10, #2 after pretraining epoch 2/2  [0/3 done", 0), 0u)
      << staged;
  EXPECT_EQ(staged.find("evaluating"), std::string::npos) << staged;
}

TEST(SweepEta, UntimedKindsTakeAsLongAsTheSlowestKindSoFar) {
  // The demo's order: fast PCA jobs end first, the training jobs beside them are not timed yet.
  SweepEta eta({"pca", "linear", "mlp", "mlp"});
  eta.finished(0, 1, 1);
  eta.finished(1, 20, 21);
  EXPECT_DOUBLE_EQ(eta.seconds_left(), 40.0);  // two mlp jobs, each at least a linear one
  EXPECT_FALSE(eta.firm());
  eta.finished(2, 60, 81);
  EXPECT_DOUBLE_EQ(eta.seconds_left(), 60.0);
  EXPECT_TRUE(eta.firm());
}

TEST(SweepEta, FailedJobsAreNoMeasure) {
  SweepEta eta({"a", "a", "a"});
  eta.ended(0);  // failed after 0.1 s: says nothing of how long a real run takes
  EXPECT_EQ(eta.seconds_left(), -1.0);
  eta.finished(1, 30, 30);
  EXPECT_DOUBLE_EQ(eta.seconds_left(), 30.0);
  eta.ended(2);
  EXPECT_EQ(eta.seconds_left(), 0.0);
}

TEST(SweepEta, ParallelWorkersShareTheWorkLeft) {
  SweepEta eta({"a", "a", "a", "a"});
  eta.finished(0, 10, 10);
  eta.finished(1, 10, 10);  // two workers: 20 job-seconds in 10 s
  EXPECT_DOUBLE_EQ(eta.seconds_left(), 10.0);
}

TEST(SweepEta, JobsThatRunAtOnceShareTheWorkLeftBeforeThePaceShowsIt) {
  // Two workers: the first job ends after 650 s, when the second has been running as long.
  SweepEta eta({"a", "a", "a"}, 2);
  eta.finished(0, 650, 650);
  EXPECT_DOUBLE_EQ(eta.seconds_left(), 650.0);  // two jobs of 650 s, two at a time
  eta.finished(1, 650, 660);
  EXPECT_DOUBLE_EQ(eta.seconds_left(), 650.0);  // one left, and it runs alone
  SweepEta alone({"a", "a"}, 4);                // more workers than jobs
  alone.finished(0, 100, 100);
  EXPECT_DOUBLE_EQ(alone.seconds_left(), 100.0);
}

TEST(SweepEta, DurationsReadAtAGlance) {
  EXPECT_EQ(format_duration(37.4), "37s");
  EXPECT_EQ(format_duration(0.3), "<1s");
  EXPECT_EQ(format_duration(0), "0s");
  EXPECT_EQ(format_duration(250), "4m10s");
  EXPECT_EQ(format_duration(7380), "2h03m");
}

TEST(SweepEta, ProgressSaysWhatTheEstimateRestsOn) {
  SweepEta eta({"pca", "mlp", "mlp", "conv"});
  EXPECT_EQ(eta.progress(0, 4), "  [0/4 done, ETA not known yet]");  // nothing to go on
  eta.finished(0, 0.01, 0.01);  // a PCA fit in 10 ms: no floor worth a number
  EXPECT_EQ(eta.progress(1, 4), "  [1/4 done, ETA not known yet]");
  eta.finished(1, 40, 40);
  EXPECT_EQ(eta.progress(2, 4), "  [2/4 done, ETA at least 1m20s]");  // the conv job untimed
  eta.finished(3, 90, 130);
  EXPECT_EQ(eta.progress(3, 4), "  [3/4 done, ETA 40s]");
  eta.finished(2, 40, 170);
  EXPECT_EQ(eta.progress(4, 4), "  [4/4 done]");
}

}  // namespace
}  // namespace aelab
