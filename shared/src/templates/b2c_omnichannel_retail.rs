//! B2C omnichannel retail: shoppers move from broadcast ads to the web, an
//! augmented-reality app, stores and email.
//!
//! The channel changes from one stage to the next (the first touchpoint of each stage
//! is on a different channel), which is what an omnichannel map shows. Typical
//! friction: prices, stock and loyalty that disagree between online and in store.

use super::seed::StageSeed;
use super::seed::{
    act, back, feel, kpi, opp, pain, thought, touch, Blueprint, PersonaSeed, SwitchSeed,
};
use crate::schema::Channel::{App, Chat, Email, Other, Social, Store, Web};
use crate::schema::OpportunityStatus::{Idea, InProgress, Planned};

/// The omnichannel retail map.
pub(super) const MAP: Blueprint = Blueprint {
    objective: "Make TV, web, app and shops feel like one store, and find the friction \
                that makes shoppers abandon their cart at checkout.",
    personas: &[
        PersonaSeed {
            name: "Emma, loyal regular",
            segment: "Loyalty member who buys online and in store several times a year",
            goals: "Find pieces that suit her home, get member prices, and use whichever \
                    channel is handiest each time.",
            pains: "Prices and stock that differ between app and store; points that do \
                    not follow her from one channel to another.",
            preferences: "Mobile app first, store visits for advice and to touch the \
                          product, personal offers by email.",
            as_is: &[1, 1, 0, -1, 0],
            to_be: &[1, 2, 2, 1, 2],
        },
        PersonaSeed {
            name: "Lucas, first-time buyer",
            segment: "New, budget-conscious customer reached by broad campaigns",
            goals: "Be sure of the choice before spending, and get the best deal.",
            pains: "Not knowing whether the product fits his space; delivery costs that \
                    show up only at checkout.",
            preferences: "Web research and reviews, augmented-reality previews, live chat \
                          for quick answers.",
            as_is: &[0, 0, 1, -2, -1],
            to_be: &[1, 1, 2, 1, 1],
        },
    ],
    paths: &[],
    stages: &[
        StageSeed {
            name: "Awareness",
            cards: &[
                act("Sees a national TV spot and a premium billboard"),
                act("Clicks a display ad on a news site"),
                touch(Other, "National TV campaign and premium billboards"),
                touch(Web, "Programmatic display ads aimed at broad audiences"),
                thought("Nice style, but is it within my budget?"),
                feel("Inspired"),
                pain("Broad ads feel generic; regulars see nothing made for them"),
                opp(
                    "Brand marketing",
                    Planned,
                    "Use loyalty data so members see ads for relevant new arrivals",
                ),
                kpi("Aided brand recall", "%", [32.0, 34.0, 40.0]),
                back("Media buying and audience segments in the ad platform"),
            ],
        },
        StageSeed {
            name: "Online research",
            cards: &[
                act("Searches for products and reads reviews"),
                act("Saves favourites to a wishlist"),
                touch(Web, "Product pages with reviews and stock by store"),
                touch(Social, "Customer photos and creator posts"),
                thought("Is it in stock at my nearest store?"),
                feel("Engaged, comparing options"),
                pain("Stock shown online for each store is often wrong"),
                opp(
                    "E-commerce team",
                    InProgress,
                    "Real-time store stock on every product page",
                ),
                kpi(
                    "Product page visits that end in a wishlist save",
                    "%",
                    [6.0, 7.0, 10.0],
                ),
                back("Product information management and a nightly stock feed"),
            ],
        },
        StageSeed {
            name: "Try at home and in store",
            cards: &[
                act("Previews the sofa in the living room with the app's augmented reality"),
                act("Books an appointment with a store advisor"),
                touch(App, "Augmented-reality preview in the mobile app"),
                touch(Store, "In-store appointment with an advisor"),
                thought("The advisor cannot see what I saved in the app"),
                feel("Reassured by the preview, annoyed at repeating myself in store"),
                pain("Advisors have no view of the shopper's online wishlist"),
                opp(
                    "Retail operations",
                    Planned,
                    "Give advisors a tablet view of the shopper's wishlist and previews",
                ),
                kpi(
                    "Appointments that end in a purchase",
                    "%",
                    [28.0, 31.0, 45.0],
                ),
                back("Appointment booking and store staffing"),
            ],
        },
        StageSeed {
            name: "Purchase",
            cards: &[
                act("Pays at the store till or in the mobile app"),
                act("Applies personal loyalty discounts"),
                touch(Store, "Store checkout with the loyalty card"),
                touch(App, "In-app checkout with saved payment and member prices"),
                thought("Why is the app price different from the shelf price?"),
                feel("Irritated by mismatched prices and surprise delivery fees"),
                pain("Prices, promotions and loyalty points are out of sync across channels"),
                pain("Carts are abandoned when delivery costs appear at the last step"),
                opp(
                    "Data platform team",
                    InProgress,
                    "One customer data platform syncing stock, pricing and loyalty everywhere",
                ),
                kpi("Checkout abandonment", "%", [68.0, 64.0, 50.0]),
                back("Point-of-sale and online pricing engines; loyalty ledger"),
            ],
        },
        StageSeed {
            name: "After purchase and loyalty",
            cards: &[
                act("Reads the thank-you email and follows the delivery"),
                act("Asks a question through live chat"),
                touch(Email, "Personal thank-you email with care tips"),
                touch(Chat, "Live chat and AI assistant for after-sales questions"),
                touch(App, "Early access to new collections for members"),
                thought("Will they remember me next time?"),
                feel("Valued when perks arrive, let down by slow replies"),
                pain("Chat agents cannot see purchases made in store"),
                opp(
                    "Customer service",
                    Idea,
                    "Route each chat with the full purchase history from every channel",
                ),
                kpi("Repeat purchase within six months", "%", [22.0, 24.0, 35.0]),
                kpi("Net promoter score", "points", [18.0, 21.0, 35.0]),
                back("Service desk, assistant training, loyalty programme operations"),
            ],
        },
    ],
    switches: &[
        SwitchSeed {
            from: (1, 0),
            to: (2, 1),
            note: "Checks store stock online, then books an appointment to try it on",
        },
        SwitchSeed {
            from: (2, 0),
            to: (3, 0),
            note: "Previews at home in the app, then comes to the store to buy",
        },
        SwitchSeed {
            from: (2, 1),
            to: (3, 1),
            note: "Tries in store, then orders in the app at member prices",
        },
        SwitchSeed {
            from: (3, 0),
            to: (4, 1),
            note: "Bought in store; after-sales questions continue in the chat",
        },
    ],
};
