#pragma once
// Customer lifetime value 预测分析: the BG/NBD model of repeat purchasing (Fader, Hardie & Lee,
// 2005) and the Gamma-Gamma model of spend per purchase, fitted by maximum likelihood
// (Nelder-Mead on the logs of the parameters) to the store's own history. Purchases are
// counted per member per day, as is usual for these models; time is in the user's unit.

#include <cstdint>
#include <functional>
#include <vector>

namespace storecrm::analytics {

// One member's calibration summary: x repeat purchases (purchase days after the first), the
// time of the last one after the first (t_x), and the time from the first to the end (T).
struct Rft {
    double x = 0, t_x = 0, T = 0;
};

struct BgNbd {
    double r = 1, alpha = 1, a = 1, b = 1;
    double log_likelihood = 0;
    bool at_bound = false;  // the fit stopped at a parameter bound: too little or too regular history
};

// Minimises `f` from `start` (Nelder-Mead, simplex steps of `step`); returns the best point.
std::vector<double> NelderMead(const std::function<double(const std::vector<double>&)>& f, std::vector<double> start,
                               double step = 0.5, int max_evaluations = 4000, double tolerance = 1e-9);

double BgNbdLogLikelihood(const BgNbd& p, const Rft& c);
BgNbd FitBgNbd(const std::vector<Rft>& members);
double ProbabilityAlive(const BgNbd& p, const Rft& c);
// Expected purchases in the next `t` units for this member.
double ExpectedPurchases(const BgNbd& p, const Rft& c, double t);

struct GammaGamma {
    double p = 1, q = 1, gamma = 1;
    double log_likelihood = 0;
    bool at_bound = false;
};

// Members with at least one repeat purchase: x purchases' average value m_x.
struct Spend {
    double x = 0, m_x = 0;
};
GammaGamma FitGammaGamma(const std::vector<Spend>& members);
double ExpectedAverageValue(const GammaGamma& g, const Spend& s);

// Gauss's hypergeometric 2F1(a, b; c; z) for |z| < 1, by its series.
double Hyp2F1(double a, double b, double c, double z);

}  // namespace storecrm::analytics
