#include "storage/group_commit.hpp"

namespace storecrm::storage {

// One write transaction of the group: statements go to the shared connection inside a
// savepoint; Commit releases it and waits for the group's COMMIT.
class GroupCommitWriter::Member final : public Connection {
public:
    // The first member of a group needs no savepoint: undoing it is undoing the transaction.
    // (SQLite slows down badly when a large transaction runs inside a savepoint, and bulk
    // writers — imports, copies — are usually alone.)
    Member(GroupCommitWriter& writer, bool savepoint) : writer_(writer), savepoint_(savepoint) {}

    Result<Rows> Query(std::string_view sql, const Params& params) override {
        STORECRM_TRY(CheckOpen());
        return writer_.connection_->Query(sql, params);
    }
    Result<ExecResult> Exec(std::string_view sql, const Params& params) override {
        STORECRM_TRY(CheckOpen());
        return writer_.connection_->Exec(sql, params);
    }
    Status ExecScript(std::string_view sql) override {
        STORECRM_TRY(CheckOpen());
        return writer_.connection_->ExecScript(sql);
    }
    Status Begin(bool) override { return Ok(); }
    Status Commit() override {
        if (ended_) return Error::Internal("commit after the end of the transaction");
        ended_ = true;
        if (savepoint_) {
            // Exec, not ExecScript: a prepared statement, not compiled again for every turn.
            auto released = writer_.connection_->Exec("RELEASE member", {});
            if (!released.ok()) {
                (void)writer_.connection_->ExecScript("ROLLBACK TO member; RELEASE member");
                (void)writer_.EndTurn(false);
                return released.take_error();
            }
        }
        return writer_.EndTurn(true);
    }
    void Rollback() override {
        if (ended_) return;
        ended_ = true;
        if (!savepoint_) {
            writer_.connection_->Rollback();  // nobody else is in the transaction yet
        } else if (writer_.in_transaction_()) {
            (void)writer_.connection_->ExecScript("ROLLBACK TO member; RELEASE member");
        }
        (void)writer_.EndTurn(false);
    }
    Dialect dialect() const override { return writer_.connection_->dialect(); }

private:
    // SQLite may have rolled the whole transaction back after an I/O error: from then on a
    // statement would run in autocommit mode, outside the group, so none may run.
    Status CheckOpen() {
        if (ended_ || !writer_.in_transaction_()) return Error::Busy("the group transaction ended");
        return Ok();
    }

    GroupCommitWriter& writer_;
    bool savepoint_;
    bool ended_ = false;
};

GroupCommitWriter::GroupCommitWriter(std::unique_ptr<Connection> connection, std::function<bool()> in_transaction,
                                     int busy_timeout_ms, int max_group)
    : connection_(std::move(connection)),
      in_transaction_(std::move(in_transaction)),
      busy_timeout_ms_(busy_timeout_ms),
      max_group_(max_group) {}

Result<std::unique_ptr<Transaction>> GroupCommitWriter::Begin() {
    {
        std::lock_guard lock(state_mutex_);
        ++waiting_;
    }
    // Until a system_clock time rather than for a duration: libstdc++ waits for a duration with
    // pthread_mutex_clocklock, which ThreadSanitizer does not intercept, so `make sanitize` saw
    // every turn's unlock as the unlock of an unlocked mutex (google/sanitizers#1620).
    const bool got = turn_.try_lock_until(std::chrono::system_clock::now() + std::chrono::milliseconds(busy_timeout_ms_));
    {
        std::lock_guard lock(state_mutex_);
        --waiting_;
    }
    if (!got) return Error::Busy("waited too long for the write lock");
    const bool first = !open_;
    if (first) {
        auto begun = connection_->Begin(true);  // BEGIN IMMEDIATE: waits out other processes
        if (!begun.ok()) {
            turn_.unlock();
            return begun.take_error();
        }
        std::lock_guard lock(state_mutex_);
        open_ = true;
        ++group_;
        group_members_ = 0;
    } else if (auto s = connection_->Exec("SAVEPOINT member", {}); !s.ok()) {
        (void)EndTurn(false);
        return s.take_error();
    }
    return std::make_unique<Transaction>(std::make_unique<Member>(*this, !first), [](std::unique_ptr<Connection>) {});
}

Status GroupCommitWriter::CommitGroup() {
    Status outcome = Ok();
    if (!in_transaction_()) {
        outcome = Error::Busy("the group transaction was rolled back by the database");
    } else if (group_members_ == 0) {
        connection_->Rollback();  // only failed members: nothing to keep
    } else {
        outcome = connection_->Commit();
        if (!outcome.ok()) connection_->Rollback();
    }
    return outcome;
}

Status GroupCommitWriter::EndTurn(bool joined_group) {
    std::unique_lock lock(state_mutex_);
    const int64_t my_group = group_;
    if (joined_group) ++group_members_;
    if (waiting_ > 0 && group_members_ < max_group_ && in_transaction_()) {
        // Someone is queued for the write lock: let them add to this group and commit it.
        if (joined_group) ++outcomes_[my_group].readers;
        lock.unlock();
        turn_.unlock();
        if (!joined_group) return Ok();
        lock.lock();
        group_done_.wait(lock, [&] { return finished_group_ >= my_group; });
        auto it = outcomes_.find(my_group);
        Status outcome = it->second.status;
        if (--it->second.readers == 0) outcomes_.erase(it);
        return outcome;
    }
    lock.unlock();
    Status outcome = CommitGroup();  // with the turn held: nobody writes during the fsync
    lock.lock();
    open_ = false;
    finished_group_ = my_group;
    if (auto it = outcomes_.find(my_group); it != outcomes_.end()) it->second.status = outcome;
    lock.unlock();
    group_done_.notify_all();
    turn_.unlock();
    return joined_group ? outcome : Ok();
}

}  // namespace storecrm::storage
