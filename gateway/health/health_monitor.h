// Live endpoint health across threads (DESIGN.md section 4, "endpoint statistics"): each worker
// appends what its attempts did to its own HealthRecorder (a vector push, no lock), hands the
// batch over on its 250 ms tick, and one monitor thread folds the batches into a HealthTracker
// once a second and, when anything changed, stores a new routing snapshot with the new health
// table. With a SharedHealth (scale-out), each fold also exchanges observations with the other
// gateway instances. The monitor thread also expires idle sticky sessions.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "gateway/health/shared_health.h"
#include "routing/health_tracker.h"
#include "routing/snapshot.h"
#include "routing/sticky_sessions.h"

namespace gw::health {

class HealthMonitor;

// One per worker; worker thread only.
class HealthRecorder {
 public:
  explicit HealthRecorder(HealthMonitor& monitor) : monitor_(monitor) {}
  void Record(const routing::HealthObservation& observation) { pending_.push_back(observation); }
  // Hands the pending observations to the monitor (a short lock, once per tick, if any).
  void Flush();

 private:
  HealthMonitor& monitor_;
  std::vector<routing::HealthObservation> pending_;
};

class HealthMonitor {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds kFoldInterval{1000};
  // Observations waiting for the monitor beyond this are dropped (counted): health is a
  // statistic, and a stuck monitor must not grow memory without bound.
  static constexpr size_t kMaxInbox = 1'000'000;

  // `snapshots` receives the new snapshots; `sessions` (may be null) gets its idle entries
  // expired. Both must outlive the monitor.
  HealthMonitor(routing::SnapshotHolder& snapshots, routing::StickySessions* sessions);
  ~HealthMonitor();  // stops the thread

  // Setup, before the workers run (any thread): the recorder of one worker.
  HealthRecorder& AddWorker();
  // Setup, before Start: share observations with the other instances.
  void Share(std::unique_ptr<SharedHealth> shared) { shared_ = std::move(shared); }
  const SharedHealth* shared() const { return shared_.get(); }
  void Start();
  void Stop();

  uint64_t dropped() const;

 private:
  friend class HealthRecorder;
  void Deliver(std::vector<routing::HealthObservation>& batch);
  void Run();
  void FoldOnce(Clock::time_point now);

  routing::SnapshotHolder& snapshots_;
  routing::StickySessions* sessions_;
  std::shared_ptr<const routing::Catalogue> catalogue_;
  routing::HealthTracker tracker_;        // monitor thread only
  std::unique_ptr<SharedHealth> shared_;  // monitor thread only (after Start); may be null
  static constexpr uint64_t kSessionSweepFolds = 60;
  uint64_t folds_ = 0;  // monitor thread only
  std::vector<std::unique_ptr<HealthRecorder>> recorders_;

  mutable std::mutex mutex_;  // guards inbox_, dropped_, stopping_
  std::condition_variable wake_;
  std::vector<routing::HealthObservation> inbox_;
  uint64_t dropped_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace gw::health
