//! Retail bank: individuals compare, open and settle into accounts across channels.
//!
//! Customers move between events, the website, chat, the app, branches and their
//! adviser. Typical frictions: online and branch experiences that do not connect, and
//! offers too complex to compare.

use super::seed::StageSeed;
use super::seed::{
    act, back, feel, kpi, opp, pain, thought, touch, Blueprint, PersonaSeed, SwitchSeed,
};
use crate::schema::Channel::{App, Chat, Email, Other, Phone, Store, Web};
use crate::schema::OpportunityStatus::{Done, Idea, InProgress, Planned};

/// The retail bank map.
pub(super) const MAP: Blueprint = Blueprint {
    objective: "Make choosing and opening an account simple on every channel, and win \
                back the conversions lost to a confusing mobile sign-up.",
    personas: &[
        PersonaSeed {
            name: "Nadia, young professional",
            segment: "Digital-first customer opening her first savings and investment products",
            goals: "Open an account from her phone in minutes, save every month and learn \
                    the basics of investing.",
            pains: "Offers that are hard to tell apart; an app that loses her halfway \
                    through sign-up.",
            preferences: "Mobile app and chat, short explainers, notifications she controls.",
            as_is: &[0, -1, -2, 0, 1],
            to_be: &[1, 1, 1, 2, 2],
        },
        PersonaSeed {
            name: "George, first-time homebuyer",
            segment: "Family customer seeking a mortgage who wants a person to talk to",
            goals: "Get a mortgage at a fair rate, with an adviser who knows his file.",
            pains: "Repeating in branch what he already typed online; dense product terms.",
            preferences: "Calculators on the website first, then a branch or video meeting \
                          for the decision, phone follow-up afterwards.",
            as_is: &[0, 0, -1, -1, 1],
            to_be: &[0, 1, 1, 1, 2],
        },
    ],
    paths: &[],
    stages: &[
        StageSeed {
            name: "Awareness",
            cards: &[
                act("Attends an economic forum the bank sponsors"),
                act("Joins a budgeting webinar after clicking a display ad"),
                touch(Other, "Economic forum sponsored by the bank"),
                touch(Web, "Targeted display ads and educational webinars"),
                thought("Could this bank help me save more than my current one?"),
                feel("Curious"),
                pain("Ads talk about products, not about the customer's situation"),
                opp(
                    "Marketing",
                    Done,
                    "Webinar series on budgeting and first investments",
                ),
                kpi(
                    "Webinar sign-ups per month",
                    "sign-ups",
                    [900.0, 1100.0, 1500.0],
                ),
                back("Event sponsorship and audience targeting"),
            ],
        },
        StageSeed {
            name: "Research and advice",
            cards: &[
                act("Explores savings, loan and investment products on the website"),
                act("Tries the calculators, then books a video call or a branch visit"),
                touch(Web, "Product pages with savings and loan calculators"),
                touch(Chat, "Chatbot answering product questions"),
                touch(Store, "Branch visit or video meeting with an adviser"),
                thought("Which of these accounts actually fits me?"),
                feel("Confused by so many similar offers"),
                pain("Too many look-alike products; terms are hard to compare"),
                opp(
                    "Digital product team",
                    Planned,
                    "AI-assisted product finder that narrows the range to two or three offers",
                ),
                kpi(
                    "Calculator users who start an application",
                    "%",
                    [9.0, 10.0, 15.0],
                ),
                kpi("Average branch waiting time", "minutes", [18.0, 15.0, 8.0]),
                back("Adviser scheduling driven by traffic across app, chatbot and branch"),
            ],
        },
        StageSeed {
            name: "Account opening",
            cards: &[
                act("Opens an account or applies for a loan in the app or in branch"),
                act("Uploads identity documents and signs electronically"),
                touch(App, "Mobile sign-up with identity check and tailored rates"),
                touch(Store, "Account opening in branch with an adviser"),
                thought("Why does the app send me back to step one?"),
                feel("Stressed: the app flow is hard to follow"),
                pain("Unclear navigation in the mobile sign-up cuts conversions by about 15%"),
                pain("What was typed online is invisible to the branch adviser"),
                opp(
                    "Mobile app team",
                    InProgress,
                    "Redesign the sign-up flow and let applicants resume where they stopped",
                ),
                opp(
                    "IT and branch network",
                    Planned,
                    "One customer record shared by digital channels and branches",
                ),
                kpi("Mobile sign-up completion", "%", [46.0, 52.0, 70.0]),
                back("Identity and anti-fraud checks, credit scoring, account set-up"),
            ],
        },
        StageSeed {
            name: "Getting started",
            cards: &[
                act("Reads the welcome email and turns on in-app alerts"),
                act("Makes a first deposit and activates the card"),
                touch(Email, "Welcome email explaining the account's benefits"),
                touch(App, "In-app notifications on account activity"),
                thought("Did the promised rate actually apply?"),
                feel("Relieved once money starts moving"),
                pain("Welcome messages repeat the brochure instead of giving next steps"),
                opp(
                    "CRM team",
                    Idea,
                    "Onboarding sequence with one clear task per message",
                ),
                kpi("Accounts funded within 30 days", "%", [61.0, 65.0, 80.0]),
                back("Card production and delivery; CRM welcome journeys"),
            ],
        },
        StageSeed {
            name: "Ongoing relationship",
            cards: &[
                act("Follows money-management lessons in the app"),
                act("Reviews plans with a dedicated adviser"),
                touch(Phone, "Regular follow-up call from a dedicated adviser"),
                touch(App, "Financial education library in the app"),
                thought("Does my bank know what I am planning?"),
                feel("Trusting when the adviser remembers the context"),
                pain("A change of adviser breaks the relationship"),
                opp(
                    "Branch network",
                    Planned,
                    "Keep one named adviser and share their notes across channels",
                ),
                kpi(
                    "Products held per customer after a year",
                    "products",
                    [1.6, 1.7, 2.2],
                ),
                back("Adviser portfolio management and next-best-offer models"),
            ],
        },
    ],
    switches: &[
        SwitchSeed {
            from: (1, 1),
            to: (1, 2),
            note: "The chatbot cannot answer; hands over to an adviser in branch or by video",
        },
        SwitchSeed {
            from: (1, 0),
            to: (2, 0),
            note: "Simulates a loan online, then opens the account in the app",
        },
        SwitchSeed {
            from: (2, 0),
            to: (2, 1),
            note: "Identity check fails in the app; continues in branch",
        },
        SwitchSeed {
            from: (2, 1),
            to: (3, 1),
            note: "Opened in branch, then follows the account in the app",
        },
    ],
};
