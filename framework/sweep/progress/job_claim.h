// Claims on jobs: before a job starts, the process that will run it creates
// `<results>/claims/<run_id>.claim` atomically (a complete file hard-linked into place, which
// fails when one exists), holding its host, pid, start time, heartbeat and epoch. Several
// runners, shards or Slurm tasks on one results folder thus never run a job twice. A claim is
// taken over only when its holder is provably gone: on the same host, its pid is dead or is
// another process; on another host, its heartbeat is older than the stale limit.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace aelab {

/// Who holds a claim, as its file says.
struct ClaimHolder {
  std::string host;     ///< process_host(): the host, and its pid namespace in a container
  std::string boot_id;  ///< the kernel's boot id: a claim from before a reboot is gone
  int64_t pid = 0;
  int64_t process_start = 0;  ///< the holder's start time in clock ticks since boot (/proc)
  double since = 0;           ///< unix seconds when the job started
  double heartbeat = 0;       ///< unix seconds of the last heartbeat
  int64_t epoch = 0, epochs = 0;
  /// Which training `epoch` is of: "" for the run's own, `pretraining` or `raw classifier` for
  /// one of the trainings a run does beside it (whose epochs time nothing of the run's own; a
  /// transfer run's trainings are all such stages, so it is timed by its completed jobs alone).
  std::string stage;
  double epoch_at = 0;  ///< unix seconds when `epoch` ended; 0 before the first
  /// Unix seconds when the run's own training (stage "") began its first epoch in this attempt;
  /// 0 before: what its epochs' pace is timed from (not the data's loading, nor a pretraining).
  double own_since = 0;
  /// The epoch running now, of how many (a run of several trainings counts each): 0 between
  /// epochs, before the first and after the last; and which training it is of ("" for the
  /// run's own; `pretraining`, `raw classifier`).
  int64_t epoch_under_way = 0, epochs_under_way = 0;
  std::string stage_under_way;
  /// What the run does outside an epoch, where it said (`clustering the test codes`); "" else.
  std::string activity;
  int64_t resumed_from = 0;  ///< epochs done before this holder began (a checkpoint's)
  std::string slurm_job;     ///< `<array job>_<task>` under Slurm, else ""
};

/// Seconds since the epoch, as claims record times.
double unix_seconds_now();

/// A heartbeat older than this (seconds) means a holder on another host is gone.
constexpr double kClaimStaleSeconds = 120;

/// The claim file of a job.
std::string claim_path(const std::string& results_dir, const std::string& run_id);

/// The holder of a job's claim; nullopt when the job is not claimed.
std::optional<ClaimHolder> read_claim(const std::string& results_dir, const std::string& run_id);

/// Whether a claim's holder is provably gone (its claim may be taken over).
bool holder_gone(const ClaimHolder& holder);

/// `host:pid` and, under Slurm, the task: how a holder is named in messages.
std::string describe_holder(const ClaimHolder& holder);

/// Where a holder's job stands, from its heartbeats: `starting` before its first epoch begins
/// (data, model), `epoch 3/10` while its third epoch runs (`classifier epoch 2/4` in a run of
/// several trainings), `evaluating after epoch 10/10` once
/// they all have (the test set, the baselines), `after epoch 3/10` where a training stopped
/// before its last (diverged) or between two trainings. A run of several trainings (transfer's
/// pretraining, then its classifier) shows each in turn.
std::string describe_stage(const ClaimHolder& holder);

/// This process's claim on one job; released (its file removed) when destroyed. A thread
/// refreshes the heartbeat every few seconds while the claim is held.
class JobClaim {
 public:
  /// Claims the job, taking over a claim whose holder is gone; nullptr when a live process
  /// holds it (then `*held_by` names that holder, when given).
  static std::unique_ptr<JobClaim> take(const std::string& results_dir, const std::string& run_id,
                                        ClaimHolder* held_by = nullptr);
  ~JobClaim();
  JobClaim(const JobClaim&) = delete;
  JobClaim& operator=(const JobClaim&) = delete;

  /// Records in the claim (what `run_sweep --status` shows) that an epoch of the run's training
  /// `stage` ("" for its own) began.
  void epoch_started(const std::string& stage, int64_t epoch, int64_t epochs);
  /// Records a finished epoch of training `stage` ("" for the run's own) in the claim; the first
  /// one tells the epochs an earlier attempt did (a run resumed from a checkpoint).
  void epoch_done(const std::string& stage, int64_t epoch, int64_t epochs);
  /// Records what the run does outside an epoch (`clustering the test codes`) until the next
  /// epoch begins.
  void doing(const std::string& activity);

 private:
  JobClaim(std::string path, ClaimHolder holder);
  void write() const;
  void beat();
  bool owned() const;  ///< whether the claim file still names this process

  std::string path_;
  ClaimHolder holder_;
  mutable std::mutex mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::thread heartbeat_;
};

}  // namespace aelab
