#pragma once
// Group commit for SQLite: with synchronous=FULL every COMMIT waits for an fsync, so one
// transaction per request caps writes at the disk's fsync rate. Here concurrent write
// transactions run one after another inside one open database transaction, each in its own
// SAVEPOINT (so a failing one rolls back alone), and the last writer of a group, finding
// nobody waiting behind it, commits them all with one fsync. Each caller's Commit() returns
// only after that shared COMMIT reached the disk, so an acknowledged write is still durable;
// if the shared COMMIT fails, every member of the group gets the error and nothing is kept.
//
// Thread-safety: Begin() may be called from any thread; a GroupCommitWriter hands out one
// write transaction at a time.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "storage/database.hpp"

namespace storecrm::storage {

class GroupCommitWriter {
public:
    // `in_transaction` tells whether the connection still has an open transaction (SQLite
    // can roll one back by itself on I/O errors or a full disk).
    GroupCommitWriter(std::unique_ptr<Connection> connection, std::function<bool()> in_transaction,
                      int busy_timeout_ms, int max_group);

    Result<std::unique_ptr<Transaction>> Begin();

private:
    class Member;
    friend class Member;

    // Ends the current writer's turn: hands the write lock to a waiting writer, or commits
    // the group. Returns the outcome of the group the turn belonged to.
    Status EndTurn(bool joined_group);
    Status CommitGroup();

    std::unique_ptr<Connection> connection_;
    std::function<bool()> in_transaction_;
    int busy_timeout_ms_;
    int max_group_;

    std::timed_mutex turn_;  // held by the writer whose statements are running
    std::mutex state_mutex_;
    std::condition_variable group_done_;
    int waiting_ = 0;             // writers blocked on turn_
    bool open_ = false;           // the shared transaction is open
    int64_t group_ = 0;           // the group now collecting members
    int group_members_ = 0;       // members who released their savepoint into it
    int64_t finished_group_ = 0;  // the last group whose COMMIT or ROLLBACK is done
    struct Outcome {
        Status status = Ok();
        int readers = 0;  // members still to collect it
    };
    std::map<int64_t, Outcome> outcomes_;  // by group, until every waiting member read it
};

}  // namespace storecrm::storage
