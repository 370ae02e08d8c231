// The one exception type of the ledger: opening a ledger or a reader fails with a message a
// sysadmin understands, naming the file ("usage ledger /var/lib/gw/ledger.db is locked by ...").
// Thrown only at start-up (Open) and by report queries; never on the request path.
#pragma once

#include <stdexcept>
#include <string>

namespace gw::accounting {

class LedgerError : public std::runtime_error {
 public:
  explicit LedgerError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace gw::accounting
