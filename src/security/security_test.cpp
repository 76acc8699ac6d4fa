#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

#include "security/crypto.hpp"
#include "security/password.hpp"
#include "security/permissions.hpp"
#include "security/principal.hpp"
#include "security/rate_limiter.hpp"
#include "security/totp.hpp"

namespace storecrm::security {
namespace {

FieldVault TestVault(unsigned char fill) {
    std::array<unsigned char, 32> key{};
    key.fill(fill);
    return FieldVault(key);
}

TEST(PasswordTest, RulesNameEveryViolation) {
    EXPECT_TRUE(PasswordRuleViolations("Store@2026", "cashier").empty());
    EXPECT_EQ(PasswordRuleViolations("Ab1!", "x").front(), "field.password_too_short");
    EXPECT_EQ(PasswordRuleViolations("abcdefgh", "x").front(), "field.password_classes");
    EXPECT_TRUE(PasswordRuleViolations("abcdefg1", "x").empty() == false);  // two classes only
    EXPECT_TRUE(PasswordRuleViolations("abcdef1!", "x").empty());           // three classes
    auto v = PasswordRuleViolations("Cashier@2026", "cashier");
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v.front(), "field.password_contains_username");
    EXPECT_EQ(PasswordRuleViolations(std::string(129, 'a') + "A1", "x").front(), "field.password_too_long");
}

TEST(PasswordTest, HashesWithArgon2idAndVerifies) {
    InitCrypto();
    const std::string hash = HashPassword("Store@2026");
    EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
    EXPECT_NE(hash.find("m=19456,t=2"), std::string::npos) << hash;  // 19 MiB, 2 passes
    EXPECT_TRUE(VerifyPassword(hash, "Store@2026"));
    EXPECT_FALSE(VerifyPassword(hash, "Store@2027"));
}

TEST(VaultTest, EncryptsAndDecryptsWithRandomNonces) {
    InitCrypto();
    FieldVault vault = TestVault(7);
    const std::string a = vault.Encrypt("+8613812345678");
    const std::string b = vault.Encrypt("+8613812345678");
    EXPECT_NE(a, b);
    EXPECT_EQ(a.find("13812345678"), std::string::npos);
    EXPECT_EQ(vault.Decrypt(a).value(), "+8613812345678");
    EXPECT_EQ(vault.Decrypt(b).value(), "+8613812345678");
}

TEST(VaultTest, RejectsTamperedCiphertextAndOtherKeys) {
    InitCrypto();
    FieldVault vault = TestVault(7);
    std::string c = vault.Encrypt("secret");
    c[c.size() - 1] ^= 1;
    EXPECT_FALSE(vault.Decrypt(c).has_value());
    EXPECT_FALSE(TestVault(8).Decrypt(vault.Encrypt("secret")).has_value());
}

TEST(VaultTest, RotationAddsAGenerationThatEncryptsWhileOldOnesStillDecrypt) {
    InitCrypto();
    const std::string file = (std::filesystem::temp_directory_path() / "storecrm-rotation-test.key").string();
    std::filesystem::remove(file);
    auto vault = FieldVault::Load(file);  // creates the key file
    ASSERT_TRUE(vault.ok());
    const std::string before = vault->Encrypt("+8613812345678");
    const std::string index_before = vault->BlindIndex("phone", "+8613812345678");
    EXPECT_EQ(FieldVault::GenerationOf(before), 1);

    auto rotated = RotateKeyFile(file);
    ASSERT_TRUE(rotated.ok());
    EXPECT_EQ(*rotated, 2);
    FieldVault copy = *vault;  // a copy held elsewhere (a job) sees the reload too
    ASSERT_TRUE(vault->Reload(file).ok());
    EXPECT_EQ(copy.CurrentGeneration(), 2);
    const std::string after = copy.Encrypt("+8613812345678");
    EXPECT_EQ(FieldVault::GenerationOf(after), 2);
    EXPECT_EQ(vault->Decrypt(before).value_or(""), "+8613812345678");
    EXPECT_EQ(vault->Decrypt(after).value_or(""), "+8613812345678");
    EXPECT_EQ(vault->BlindIndex("phone", "+8613812345678"), index_before);  // lookups keep working

    // A fresh start reads both generations; a vault that never saw generation 2 cannot read it.
    auto reloaded = FieldVault::Load(file);
    ASSERT_TRUE(reloaded.ok());
    EXPECT_EQ(reloaded->Generations(), (std::vector<int>{1, 2}));
    EXPECT_EQ(reloaded->Decrypt(after).value_or(""), "+8613812345678");
    std::ifstream in(file);
    std::string master;
    std::getline(in, master);
    std::ofstream(file + ".old") << master << "\n";
    auto old_only = FieldVault::Load(file + ".old");
    ASSERT_TRUE(old_only.ok());
    EXPECT_FALSE(old_only->Decrypt(after).has_value());
    EXPECT_EQ(old_only->Decrypt(before).value_or(""), "+8613812345678");
    EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::others_read, std::filesystem::perms::none);
    std::filesystem::remove(file);
    std::filesystem::remove(file + ".old");
}

// Run under TSan by `make sanitize` (ctest -R Concurrent), like every test named Concurrent….
TEST(VaultTest, ConcurrentReadersKeepDecryptingWhileTheKeyFileReloads) {
    InitCrypto();
    const std::string file = (std::filesystem::temp_directory_path() / "storecrm-concurrent-rotation.key").string();
    std::filesystem::remove(file);
    auto vault = FieldVault::Load(file);
    ASSERT_TRUE(vault.ok());
    const std::string old_value = vault->Encrypt("13800000000");
    std::atomic<bool> rotated{false};
    std::atomic<int> failures{0};
    std::vector<std::thread> readers;
    for (int t = 0; t < 3; ++t) {
        readers.emplace_back([&] {
            for (int i = 0; i < 300; ++i) {
                const std::string fresh = vault->Encrypt("1390000" + std::to_string(1000 + i));
                if (vault->Decrypt(fresh).value_or("") != "1390000" + std::to_string(1000 + i)) ++failures;
                if (vault->Decrypt(old_value).value_or("") != "13800000000") ++failures;
            }
        });
    }
    std::thread reloader([&] {
        ASSERT_TRUE(RotateKeyFile(file).ok());
        for (int i = 0; i < 50; ++i) ASSERT_TRUE(vault->Reload(file).ok());
        rotated = true;
    });
    for (auto& t : readers) t.join();
    reloader.join();
    EXPECT_TRUE(rotated);
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(FieldVault::GenerationOf(vault->Encrypt("x")), 2);
    std::filesystem::remove(file);
}

TEST(RateLimiterTest, ConcurrentCallersShareExactlyOneBudget) {
    RateLimiter limiter(300);
    const auto minute = [] {
        return std::chrono::duration_cast<std::chrono::minutes>(std::chrono::system_clock::now().time_since_epoch()).count();
    };
    const auto started = minute();
    std::atomic<int> allowed{0};
    std::vector<std::thread> callers;
    for (int t = 0; t < 8; ++t) {
        callers.emplace_back([&] {
            for (int i = 0; i < 100; ++i) {
                if (limiter.Allow("203.0.113.9")) ++allowed;
                (void)limiter.Allow("other-" + std::to_string(i));  // other keys sweep and grow the map meanwhile
            }
        });
    }
    for (auto& t : callers) t.join();
    if (minute() != started) GTEST_SKIP() << "the minute turned during the test";
    EXPECT_EQ(allowed.load(), 300);
}

TEST(TotpTest, MatchesTheRfc6238VectorsAndTheNeighbouringSteps) {
    // RFC 6238 appendix B, SHA-1 secret "12345678901234567890": 8-digit 94287082 at T=59,
    // 07081804 at 1111111109; the 6-digit codes are their last six digits.
    const std::string secret = "12345678901234567890";
    EXPECT_EQ(TotpCode(secret, 59), "287082");
    EXPECT_EQ(TotpCode(secret, 1111111109), "081804");
    EXPECT_EQ(TotpBase32(secret), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    EXPECT_EQ(MatchTotp(secret, "081804", 1111111109), 1111111109 / 30);
    EXPECT_EQ(MatchTotp(secret, "081804", 1111111109 + 30), 1111111109 / 30);  // a slow phone: one step back
    EXPECT_FALSE(MatchTotp(secret, "081804", 1111111109 + 90).has_value());    // three steps: too old
    EXPECT_FALSE(MatchTotp(secret, "08180a", 1111111109).has_value());
    EXPECT_EQ(NormalizeRecoveryCode(" AB2C 3DEF "), "ab2c-3def");
    EXPECT_EQ(NormalizeRecoveryCode("ab2c-3de"), "");
    auto codes = NewRecoveryCodes();
    EXPECT_EQ(codes.size(), 10u);
    for (const auto& c : codes) EXPECT_EQ(NormalizeRecoveryCode(c), c);
}

TEST(VaultTest, BlindIndexIsDeterministicKeyedAndPurposeSeparated) {
    InitCrypto();
    FieldVault vault = TestVault(7);
    EXPECT_EQ(vault.BlindIndex("phone", "+8613812345678"), vault.BlindIndex("phone", "+8613812345678"));
    EXPECT_EQ(vault.BlindIndex("phone", "x").size(), 16u);
    EXPECT_NE(vault.BlindIndex("phone", "5678"), vault.BlindIndex("last4", "5678"));
    EXPECT_NE(vault.BlindIndex("phone", "+8613812345678"), TestVault(8).BlindIndex("phone", "+8613812345678"));
}

TEST(TokenTest, RandomTokensAreDistinctAndHashedToHex) {
    InitCrypto();
    const std::string a = RandomToken(), b = RandomToken();
    EXPECT_NE(a, b);
    EXPECT_EQ(a.size(), 43u);
    EXPECT_EQ(HashToken(a).size(), 64u);
    EXPECT_EQ(HashToken(a), HashToken(a));
}

TEST(ScopeTest, StoreScopeClause) {
    Principal hq;
    hq.all_stores = true;
    storage::Params params;
    EXPECT_EQ(StoreScopeClause(hq, "m.home_store_id", params), "");
    EXPECT_TRUE(params.empty());

    Principal cashier;
    cashier.store_ids = {3, 5};
    EXPECT_EQ(StoreScopeClause(cashier, "m.home_store_id", params), " AND m.home_store_id IN (?, ?)");
    EXPECT_EQ(params.size(), 2u);
    EXPECT_TRUE(cashier.CanAccessStore(5));
    EXPECT_FALSE(cashier.CanAccessStore(4));

    Principal nobody;
    storage::Params none;
    EXPECT_EQ(StoreScopeClause(nobody, "x", none), " AND 1 = 0");
    EXPECT_FALSE(nobody.CanAccessStore(1));
}

TEST(PermissionsTest, BuiltinRolesUseKnownPermissions) {
    ASSERT_EQ(BuiltinRoles().size(), 8u);
    for (const auto& role : BuiltinRoles()) {
        for (const auto& p : role.permissions) EXPECT_TRUE(IsKnownPermission(p)) << role.code << " " << p;
    }
    EXPECT_FALSE(IsKnownPermission("members.delete_everything"));
    // A cashier registers and finds members but never sees full personal data.
    for (const auto& role : BuiltinRoles()) {
        if (std::string(role.code) == "cashier") {
            EXPECT_EQ(std::count(role.permissions.begin(), role.permissions.end(), "members.pii"), 0);
            EXPECT_EQ(std::count(role.permissions.begin(), role.permissions.end(), "members.create"), 1);
        }
    }
}

}  // namespace
}  // namespace storecrm::security
