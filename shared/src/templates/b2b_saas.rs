//! B2B SaaS: an enterprise buying committee finds, buys, adopts and renews a platform.
//!
//! Typical frictions: a long, many-approver purchase, a demand for proof of return
//! on investment, and a slow start after signature.

use super::seed::StageSeed;
use super::seed::{act, back, feel, kpi, opp, pain, thought, touch, Blueprint, PersonaSeed};
use crate::schema::Channel::{Email, Partner, Phone, Social, Web};
use crate::schema::OpportunityStatus::{Done, Idea, InProgress, Planned};

/// The B2B SaaS map.
pub(super) const MAP: Blueprint = Blueprint {
    objective: "Shorten the enterprise buying cycle and cut early churn by proving \
                return on investment at every step, from first report to renewal.",
    personas: &[
        PersonaSeed {
            name: "Dana, marketing director",
            segment: "Marketing leader at a Fortune 500 company who first spots the platform",
            goals: "Adopt a platform that fits the current stack and show leadership a \
                    measurable return within two quarters.",
            pains: "Long buying cycles, many stakeholders to win over, vendors that cannot \
                    prove their return.",
            preferences: "Analyst research and peer posts on LinkedIn; short summaries \
                          backed by data; live demos over slide decks.",
            as_is: &[1, 1, -1, -2, 0],
            to_be: &[1, 2, 1, 1, 2],
        },
        PersonaSeed {
            name: "Raj, CIO",
            segment: "IT decision maker who signs off on security, integration and budget",
            goals: "Choose a vendor that integrates cleanly, passes security review and \
                    lowers total cost of ownership.",
            pains: "Integration risk, lock-in, and procurement talks that drag on for months.",
            preferences: "Technical white papers, reference architectures, one named contact \
                          and round-the-clock support commitments.",
            as_is: &[0, 0, -2, -1, 1],
            to_be: &[0, 1, 1, 1, 2],
        },
    ],
    paths: &[],
    stages: &[
        StageSeed {
            name: "Awareness",
            cards: &[
                act("Reads an analyst report that ranks the platform in its category"),
                act("Notices a LinkedIn post written for IT decision makers"),
                touch(Social, "Sponsored LinkedIn post for IT leaders"),
                touch(Partner, "Analyst report (e.g. Gartner) citing the platform"),
                thought("Is this vendor solid enough for a company our size?"),
                feel("Curious, but wary of yet another tool"),
                pain("Little evidence that the platform fits an enterprise stack"),
                opp(
                    "Product marketing",
                    Done,
                    "Publish enterprise case studies alongside the analyst coverage",
                ),
                kpi(
                    "Qualified enterprise leads per month",
                    "leads",
                    [40.0, 46.0, 60.0],
                ),
                back("Analyst relations briefings; LinkedIn audience targeting"),
            ],
        },
        StageSeed {
            name: "Evaluation",
            cards: &[
                act("The team downloads the technical white paper"),
                act("Attends a live webinar on fitting the platform into their stack"),
                touch(Web, "Gated white paper download page"),
                touch(Email, "Webinar invitation, then the recording and slides"),
                thought("Will it plug into our identity provider and data warehouse?"),
                feel("Interested: the integration story holds up"),
                pain("Integration details are buried in long documents"),
                opp(
                    "Solutions engineering",
                    InProgress,
                    "Interactive ROI calculator and integration checklist on the website",
                ),
                kpi(
                    "Webinar attendees who request a demo",
                    "%",
                    [8.0, 11.0, 18.0],
                ),
                back("Marketing automation scores engagement and routes accounts to sales"),
            ],
        },
        StageSeed {
            name: "Purchase decision",
            cards: &[
                act("The CIO books a tailored demo"),
                act("Compares several vendors and negotiates price with procurement"),
                touch(Phone, "Live demo call with an account executive"),
                touch(
                    Email,
                    "Proposal, security questionnaire and contract redlines",
                ),
                thought("Can we justify the price against the other shortlisted vendors?"),
                feel("Tense: many approvers and slow legal back-and-forth"),
                pain("The purchase drags for months across procurement, legal and security"),
                pain("Return on investment is claimed, not demonstrated"),
                opp(
                    "Sales",
                    Planned,
                    "Tailored executive summary with an ROI model for each account",
                ),
                kpi("Sales cycle length", "days", [120.0, 105.0, 75.0]),
                back("Deal desk approves discounts; security team answers questionnaires"),
            ],
        },
        StageSeed {
            name: "Onboarding and support",
            cards: &[
                act("Admins set up single sign-on and invite the first teams"),
                act("Opens tickets when data imports fail"),
                touch(Web, "Onboarding portal with setup guides"),
                touch(
                    Phone,
                    "Dedicated onboarding manager and 24/7 technical support",
                ),
                thought("Why is setup slower than the demo suggested?"),
                feel("Frustrated during setup, relieved once the first team is live"),
                pain("The first weeks feel slow; users stall before they see any value"),
                opp(
                    "Customer success",
                    InProgress,
                    "Guided onboarding plan with a first-value milestone at day 30",
                ),
                kpi("Time to first value", "days", [45.0, 38.0, 21.0]),
                kpi("Weekly active seats after 60 days", "%", [35.0, 42.0, 65.0]),
                back("Implementation team, support rota and quarterly business reviews"),
            ],
        },
        StageSeed {
            name: "Renewal and expansion",
            cards: &[
                act("Reviews usage figures at the quarterly business review"),
                act("Decides on renewal and a company-wide licence"),
                touch(Email, "Usage and ROI report ahead of the renewal date"),
                touch(Phone, "Account manager meeting on renewal and upgrade"),
                thought("Has the platform paid for itself?"),
                feel("Confident when the numbers are clear"),
                pain("Value reports arrive too late to shape next year's budget"),
                opp(
                    "Account management",
                    Idea,
                    "Share an ROI dashboard with sponsors every quarter, not only at renewal",
                ),
                kpi("Net revenue retention", "%", [104.0, 108.0, 120.0]),
                back("Customer success ops compile usage analytics; finance prepares quotes"),
            ],
        },
    ],
    switches: &[],
};
