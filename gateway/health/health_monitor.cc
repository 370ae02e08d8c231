#include "gateway/health/health_monitor.h"

#include <algorithm>

namespace gw::health {

void HealthRecorder::Flush() {
  if (pending_.empty()) return;
  monitor_.Deliver(pending_);
  pending_.clear();
}

HealthMonitor::HealthMonitor(routing::SnapshotHolder& snapshots, routing::StickySessions* sessions)
    : snapshots_(snapshots),
      sessions_(sessions),
      catalogue_(snapshots.Load()->catalogue()),
      tracker_(catalogue_->endpoint_count(), catalogue_->config().routing.health) {}

HealthMonitor::~HealthMonitor() { Stop(); }

HealthRecorder& HealthMonitor::AddWorker() {
  const std::lock_guard lock(mutex_);
  recorders_.push_back(std::make_unique<HealthRecorder>(*this));
  return *recorders_.back();
}

void HealthMonitor::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Run(); });
}

void HealthMonitor::Stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

uint64_t HealthMonitor::dropped() const {
  const std::lock_guard lock(mutex_);
  return dropped_;
}

void HealthMonitor::Deliver(std::vector<routing::HealthObservation>& batch) {
  const std::lock_guard lock(mutex_);
  const size_t room = kMaxInbox > inbox_.size() ? kMaxInbox - inbox_.size() : 0;
  const size_t taken = std::min(room, batch.size());
  inbox_.insert(inbox_.end(), batch.begin(), batch.begin() + static_cast<std::ptrdiff_t>(taken));
  dropped_ += batch.size() - taken;
}

void HealthMonitor::Run() {
  std::unique_lock lock(mutex_);
  Clock::time_point next = Clock::now() + kFoldInterval;
  while (!stopping_) {
    // A timed wait is the monitor's schedule (once a second), not a synchronisation.
    if (wake_.wait_until(lock, next, [this] { return stopping_; })) break;
    next = std::max(next + kFoldInterval, Clock::now());
    lock.unlock();
    FoldOnce(Clock::now());
    lock.lock();
  }
}

void HealthMonitor::FoldOnce(Clock::time_point now) {
  std::vector<routing::HealthObservation> batch;
  {
    const std::lock_guard lock(mutex_);
    batch.swap(inbox_);
  }
  for (const routing::HealthObservation& observation : batch) tracker_.Add(observation);
  if (shared_) {
    for (const routing::HealthObservation& observation : shared_->Exchange(batch, now)) {
      tracker_.Add(observation);
    }
  }
  if (std::shared_ptr<const routing::HealthTable> table = tracker_.Publish(now)) {
    snapshots_.Store(std::make_shared<const routing::Snapshot>(catalogue_, std::move(table)));
  }
  // Find() already ignores expired sessions; the sweep only returns their memory.
  if (sessions_ != nullptr && ++folds_ % kSessionSweepFolds == 0) sessions_->ExpireIdle(now);
}

}  // namespace gw::health
