// The standard process_* metrics of Prometheus client libraries (CPU seconds, resident and
// virtual memory, open and maximum file descriptors, start time), read from /proc/self.
// Any thread.
#pragma once

#include "gateway/metrics/prometheus_writer.h"

namespace gw::metrics {

// Writes the families it can read; one that /proc does not provide is left out.
void WriteProcessMetrics(PrometheusWriter& out);

}  // namespace gw::metrics
