#include "members/erasure_journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>

#include <nlohmann/json.hpp>

namespace storecrm::members {
namespace {

std::mutex journal_mutex;
std::string journal_path;

}  // namespace

void SetErasureJournal(std::string path) {
    std::lock_guard lock(journal_mutex);
    journal_path = std::move(path);
}

const std::string& ErasureJournalPath() { return journal_path; }

Status RecordErasure(int64_t member_id, int64_t at) {
    std::lock_guard lock(journal_mutex);
    if (journal_path.empty()) return Ok();
    const std::string line = nlohmann::json{{"member_id", member_id}, {"at", at}}.dump() + "\n";
    const int fd = ::open(journal_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return Error::Internal("erasure journal " + journal_path + ": " + std::strerror(errno));
    const ssize_t written = ::write(fd, line.data(), line.size());
    const bool synced = written == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
    const int saved = errno;
    ::close(fd);
    if (!synced) return Error::Internal("erasure journal " + journal_path + ": " + std::strerror(saved));
    return Ok();
}

Result<std::vector<int64_t>> ReadErasures(const std::string& path) {
    std::vector<int64_t> ids;
    std::ifstream in(path);
    if (!in) return ids;  // nothing erased yet
    std::string line;
    while (std::getline(in, line)) {
        auto entry = nlohmann::json::parse(line, nullptr, false);
        if (!entry.is_object() || !entry.contains("member_id") || !entry["member_id"].is_number_integer()) continue;
        ids.push_back(entry["member_id"].get<int64_t>());
    }
    return ids;
}

}  // namespace storecrm::members
