#pragma once
// Realistic, deterministic sample people (Chinese names, mainland mobiles, birthdays) for the
// demo chain and the benchmarks. Not used for anything a real customer enters.

#include <cstdint>
#include <random>
#include <string>

namespace storecrm {

struct SamplePerson {
    std::string name;
    std::string gender;    // "male" | "female"
    std::string phone;     // E.164, unique for distinct `index` values
    std::string birthday;  // YYYY-MM-DD, 1960–2005
};

// The phone of sample person `index` (E.164); distinct for distinct indexes below 10^8.
std::string SamplePhone(uint64_t index);

// `index` makes the phone unique: the same index always yields the same number.
SamplePerson MakeSamplePerson(std::mt19937_64& rng, uint64_t index);

}  // namespace storecrm
