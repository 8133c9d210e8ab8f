// Job claims: hard-linked claim files, heartbeats, and the liveness of their holders.
#include "framework/sweep/progress/job_claim.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "framework/core/error.h"
#include "framework/core/host.h"

namespace fs = std::filesystem;

namespace aelab {
namespace {

std::string this_boot_id() {
  std::string id;
  std::ifstream("/proc/sys/kernel/random/boot_id") >> id;
  return id;
}

/// Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot; 0 when the
/// process does not exist, or has ended and waits to be reaped (a zombie: a worker killed as its
/// runner exits stays one for a moment, holding its claim no longer).
int64_t process_start_time(int64_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(file, text)) return 0;
  const size_t name_end = text.rfind(')');
  if (name_end == std::string::npos || name_end + 2 >= text.size()) return 0;
  if (const char state = text[name_end + 2]; state == 'Z' || state == 'X') return 0;
  std::istringstream fields(text.substr(name_end + 2));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i)
    if (i == 22) return std::atoll(field.c_str());
  return 0;
}

std::string slurm_task() {
  const char* job = std::getenv("SLURM_ARRAY_JOB_ID");
  const char* task = std::getenv("SLURM_ARRAY_TASK_ID");
  if (job && task) return std::string(job) + "_" + task;
  if (const char* plain = std::getenv("SLURM_JOB_ID")) return plain;
  return "";
}

std::string serialize(const ClaimHolder& holder) {
  std::ostringstream text;
  text.precision(17);
  text << "host " << holder.host << "\nboot_id " << holder.boot_id << "\npid " << holder.pid
       << "\nprocess_start " << holder.process_start << "\nsince " << holder.since << "\nheartbeat "
       << holder.heartbeat << "\nepoch " << holder.epoch << "\nepochs " << holder.epochs
       << "\nepoch_at " << holder.epoch_at << "\nown_since " << holder.own_since
       << "\nresumed_from " << holder.resumed_from << "\nepoch_under_way " << holder.epoch_under_way
       << "\nepochs_under_way " << holder.epochs_under_way << "\nstage_under_way "
       << holder.stage_under_way << "\nstage " << holder.stage << "\nactivity " << holder.activity
       << "\nslurm_job " << holder.slurm_job << "\n";
  return text.str();
}

/// A claim file's holder; a file still being replaced or cut short reads as a holder with no
/// host, which counts as alive until its modification time is old.
ClaimHolder parse(const std::string& text) {
  ClaimHolder holder;
  std::istringstream lines(text);
  std::string key, value;
  while (lines >> key) {
    std::getline(lines, value);
    if (!value.empty() && value[0] == ' ') value.erase(0, 1);
    if (key == "host") holder.host = value;
    if (key == "boot_id") holder.boot_id = value;
    if (key == "pid") holder.pid = std::atoll(value.c_str());
    if (key == "process_start") holder.process_start = std::atoll(value.c_str());
    if (key == "since") holder.since = std::atof(value.c_str());
    if (key == "heartbeat") holder.heartbeat = std::atof(value.c_str());
    if (key == "epoch") holder.epoch = std::atoll(value.c_str());
    if (key == "epochs") holder.epochs = std::atoll(value.c_str());
    if (key == "epoch_at") holder.epoch_at = std::atof(value.c_str());
    if (key == "own_since") holder.own_since = std::atof(value.c_str());
    if (key == "resumed_from") holder.resumed_from = std::atoll(value.c_str());
    if (key == "epoch_under_way") holder.epoch_under_way = std::atoll(value.c_str());
    if (key == "epochs_under_way") holder.epochs_under_way = std::atoll(value.c_str());
    if (key == "stage_under_way") holder.stage_under_way = value;
    if (key == "stage") holder.stage = value;
    if (key == "activity") holder.activity = value;
    if (key == "slurm_job") holder.slurm_job = value;
  }
  return holder;
}

/// Writes `text` to a new file beside `path` and hard-links it to `path`: false when `path`
/// exists (someone else holds the claim).
bool create_exclusively(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".new-" + std::to_string(getpid());
  {
    std::ofstream file(temporary);
    file << text;
    if (!file.flush()) throw Error(temporary + ": cannot write the job's claim");
  }
  const int result = link(temporary.c_str(), path.c_str());
  const int error = errno;
  std::remove(temporary.c_str());
  if (result == 0) return true;
  if (error == EEXIST) return false;
  throw Error(path + ": cannot claim the job: " + std::strerror(error));
}

bool same_holder(const ClaimHolder& a, const ClaimHolder& b) {
  return a.host == b.host && a.pid == b.pid && a.process_start == b.process_start &&
         a.since == b.since;
}

std::optional<ClaimHolder> read_claim_file(const std::string& path) {
  std::ifstream file(path);
  if (!file) return std::nullopt;
  std::stringstream text;
  text << file.rdbuf();
  return parse(text.str());
}

}  // namespace

double unix_seconds_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string claim_path(const std::string& results_dir, const std::string& run_id) {
  return results_dir + "/claims/" + run_id + ".claim";
}

std::optional<ClaimHolder> read_claim(const std::string& results_dir, const std::string& run_id) {
  std::optional<ClaimHolder> read = read_claim_file(claim_path(results_dir, run_id));
  if (!read) return std::nullopt;
  ClaimHolder holder = *read;
  if (holder.host.empty()) {  // being written: alive until its file is old
    std::error_code ignored;
    auto written = fs::last_write_time(claim_path(results_dir, run_id), ignored);
    holder.heartbeat =
        std::chrono::duration<double>(written - fs::file_time_type::clock::now()).count() +
        unix_seconds_now();
  }
  return holder;
}

bool holder_gone(const ClaimHolder& holder) {
  if (!holder.host.empty() && holder.host == process_host()) {
    if (!holder.boot_id.empty() && holder.boot_id != this_boot_id()) return true;  // rebooted
    return process_start_time(holder.pid) != holder.process_start;
  }
  return unix_seconds_now() - holder.heartbeat > kClaimStaleSeconds;
}

std::string describe_holder(const ClaimHolder& holder) {
  std::string name = holder.host + ":" + std::to_string(holder.pid);
  return holder.slurm_job.empty() ? name : name + " (Slurm " + holder.slurm_job + ")";
}

std::string describe_stage(const ClaimHolder& holder) {
  if (!holder.activity.empty() && holder.epoch_under_way == 0) return holder.activity;
  if (holder.epoch_under_way > 0)
    return fmt::format("{}{}epoch {}/{}", holder.stage_under_way,
                       holder.stage_under_way.empty() ? "" : " ", holder.epoch_under_way,
                       holder.epochs_under_way);
  if (holder.epochs <= 0) return "starting";
  const std::string epoch =
      fmt::format("{}{}epoch {}/{}", holder.stage, holder.stage.empty() ? "" : " ", holder.epoch,
                  holder.epochs);
  // After the last epoch of the run's own training comes the evaluation; after another's,
  // maybe a further training.
  return (holder.epoch >= holder.epochs && holder.stage.empty() ? "evaluating after " : "after ") +
         epoch;
}

std::unique_ptr<JobClaim> JobClaim::take(const std::string& results_dir, const std::string& run_id,
                                         ClaimHolder* held_by) {
  const std::string path = claim_path(results_dir, run_id);
  fs::create_directories(fs::path(path).parent_path());
  ClaimHolder self;
  self.host = process_host();
  self.boot_id = this_boot_id();
  self.pid = getpid();
  self.process_start = process_start_time(self.pid);
  self.since = self.heartbeat = unix_seconds_now();
  self.slurm_job = slurm_task();
  for (int attempt = 0; attempt < 8; ++attempt) {
    if (create_exclusively(path, serialize(self)))
      return std::unique_ptr<JobClaim>(new JobClaim(path, self));
    std::optional<ClaimHolder> holder = read_claim(results_dir, run_id);
    if (!holder) continue;  // released meanwhile
    if (!holder_gone(*holder)) {
      if (held_by) *held_by = *holder;
      return nullptr;
    }
    // Move the stale claim aside, then check it is the one judged gone: another process
    // taking over at the same moment may have put its fresh claim there in between.
    const std::string stale = path + ".stale-" + std::to_string(self.pid);
    if (std::rename(path.c_str(), stale.c_str()) != 0) continue;
    std::optional<ClaimHolder> moved = read_claim_file(stale);
    if (moved && !same_holder(*moved, *holder)) {
      link(stale.c_str(), path.c_str());  // give it back; it is alive
      std::remove(stale.c_str());
      if (held_by) *held_by = *moved;
      return nullptr;
    }
    std::remove(stale.c_str());
  }
  throw Error(path + ": the job's claim keeps changing hands; is a runner looping?");
}

JobClaim::JobClaim(std::string path, ClaimHolder holder)
    : path_(std::move(path)), holder_(std::move(holder)) {
  heartbeat_ = std::thread([this] { beat(); });
}

JobClaim::~JobClaim() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  stop_.notify_all();
  heartbeat_.join();
  if (owned()) std::remove(path_.c_str());
}

bool JobClaim::owned() const {
  std::optional<ClaimHolder> current = read_claim_file(path_);
  return current && same_holder(*current, holder_);
}

void JobClaim::epoch_started(const std::string& stage, int64_t epoch, int64_t epochs) {
  std::lock_guard<std::mutex> lock(mutex_);
  holder_.epoch_under_way = epoch;
  holder_.epochs_under_way = epochs;
  holder_.stage_under_way = stage;
  holder_.activity.clear();
  if (stage.empty() && holder_.own_since == 0) holder_.own_since = unix_seconds_now();
  write();
}

void JobClaim::doing(const std::string& activity) {
  std::lock_guard<std::mutex> lock(mutex_);
  holder_.activity = activity;
  write();
}

void JobClaim::epoch_done(const std::string& stage, int64_t epoch, int64_t epochs) {
  std::lock_guard<std::mutex> lock(mutex_);
  // The first epoch of the run's own training here tells the epochs an earlier attempt did.
  if (stage.empty() && (holder_.epochs == 0 || !holder_.stage.empty()))
    holder_.resumed_from = epoch - 1;
  holder_.epoch = epoch;
  holder_.epochs = epochs;
  holder_.stage = stage;
  holder_.epoch_under_way = holder_.epochs_under_way = 0;
  holder_.stage_under_way.clear();
  holder_.heartbeat = holder_.epoch_at = unix_seconds_now();
  write();
}

/// Replaces the claim file's contents (the file stays in place for other processes).
void JobClaim::write() const {
  if (!owned()) return;  // taken over: this process was judged gone
  const std::string temporary = path_ + ".beat-" + std::to_string(holder_.pid);
  {
    std::ofstream file(temporary);
    file << serialize(holder_);
  }
  std::rename(temporary.c_str(), path_.c_str());
}

void JobClaim::beat() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_.wait_for(lock, std::chrono::seconds(10), [this] { return stopping_; })) {
    holder_.heartbeat = unix_seconds_now();
    write();
  }
}

}  // namespace aelab
