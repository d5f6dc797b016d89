//! B2B e-commerce marketplace: a corporate procurement team sources and buys in bulk.
//!
//! Typical frictions: buyers want the marketplace wired into their own purchasing
//! systems and a clear view of where every shipment stands.

use super::seed::StageSeed;
use super::seed::{act, back, feel, kpi, opp, pain, thought, touch, Blueprint, PersonaSeed};
use crate::schema::Channel::{Email, Partner, Phone, Social, Web};
use crate::schema::OpportunityStatus::{Idea, InProgress, Planned};

/// The B2B marketplace map.
pub(super) const MAP: Blueprint = Blueprint {
    objective: "Win repeat volume from corporate buyers by connecting the marketplace to \
                their procurement systems and making every shipment visible.",
    personas: &[
        PersonaSeed {
            name: "Priya, procurement manager",
            segment: "Procurement team of a global retailer buying in volume",
            goals: "Source reliable suppliers at volume prices and place large orders \
                    without typing them twice.",
            pains: "Marketplaces that do not talk to the company's purchasing system; \
                    shipments whose status nobody knows.",
            preferences: "Self-service catalogues and quotes, invoice payment terms, order \
                          data pushed straight into the procurement suite.",
            as_is: &[1, 0, 1, -2, 0],
            to_be: &[1, 1, 2, 1, 2],
        },
        PersonaSeed {
            name: "Leah, finance controller",
            segment: "Finance team that approves spend and reconciles supplier invoices",
            goals: "Invoices that match purchase orders and predictable payment terms.",
            pains: "Invoices that differ from the purchase order; split shipments that \
                    make reconciliation slow.",
            preferences: "Monthly consolidated invoicing, electronic invoices, a clear \
                          audit trail.",
            as_is: &[0, -1, -1, -1, 0],
            to_be: &[0, 0, 1, 1, 1],
        },
    ],
    paths: &[],
    stages: &[
        StageSeed {
            name: "Discovery",
            cards: &[
                act("Sees a LinkedIn campaign about volume discounts"),
                act("Browses the catalogue to check range and price tiers"),
                touch(
                    Social,
                    "LinkedIn campaign promoting tiered volume discounts",
                ),
                touch(Web, "Category landing page with price tiers"),
                thought("Could one marketplace replace several direct suppliers?"),
                feel("Intrigued by the discounts"),
                pain("Price tiers are hidden until an account is created"),
                opp(
                    "Growth marketing",
                    Planned,
                    "Show sample volume pricing without a login",
                ),
                kpi(
                    "Business accounts opened per month",
                    "accounts",
                    [300.0, 340.0, 450.0],
                ),
                back("Campaign targeting of procurement roles at large retailers"),
            ],
        },
        StageSeed {
            name: "Supplier comparison and quote",
            cards: &[
                act("Compares suppliers, lead times and product specifications"),
                act("Asks the sales team for a custom quote"),
                touch(Web, "Supplier comparison and product spec sheets"),
                touch(Email, "Custom quote from a marketplace sales rep"),
                thought("Are these suppliers vetted, and can they hold their lead times?"),
                feel("Cautious; quotes take days"),
                pain("Quotes come back slowly and in inconsistent formats"),
                opp(
                    "Sales operations",
                    InProgress,
                    "Instant quote builder for standard volume orders",
                ),
                kpi("Median quote turnaround", "hours", [72.0, 48.0, 4.0]),
                back("Sales desk checks supplier stock and negotiates margins"),
            ],
        },
        StageSeed {
            name: "Bulk order",
            cards: &[
                act("Places a large order from inside the company's purchasing system"),
                act("Picks invoice payment on 60-day terms"),
                touch(
                    Partner,
                    "Punch-out catalogue inside the buyer's procurement suite",
                ),
                touch(
                    Web,
                    "Checkout with purchase order number and invoicing options",
                ),
                thought("Will this order match the purchase order finance approved?"),
                feel("Relieved that checkout fits the way we already buy"),
                pain("Orders placed on the website must be re-keyed into the purchasing system"),
                opp(
                    "Platform engineering",
                    InProgress,
                    "Procurement API and punch-out connectors for the main purchasing suites",
                ),
                kpi(
                    "Orders placed through integrations",
                    "%",
                    [10.0, 18.0, 50.0],
                ),
                back("Credit check, order split across suppliers, electronic invoice"),
            ],
        },
        StageSeed {
            name: "Delivery tracking",
            cards: &[
                act("Checks where each shipment stands"),
                act("Chases suppliers by email when a delivery slips"),
                touch(Email, "Shipping notice from each supplier"),
                touch(
                    Partner,
                    "Live delivery status inside the buyer's procurement system",
                ),
                thought("Which pallets arrive this week, and which are late?"),
                feel("Anxious when split shipments go quiet"),
                pain("No single view of a shipment split across several suppliers"),
                opp(
                    "Logistics product team",
                    Planned,
                    "Real-time tracking feed for key accounts, pushed into their systems",
                ),
                kpi("Deliveries with live tracking", "%", [30.0, 45.0, 95.0]),
                kpi(
                    "Order status tickets per 100 orders",
                    "tickets",
                    [14.0, 11.0, 4.0],
                ),
                back("Carrier integrations and supplier service-level monitoring"),
            ],
        },
        StageSeed {
            name: "Feedback and reorder",
            cards: &[
                act("Answers the satisfaction survey"),
                act("Reorders from a saved list"),
                touch(Email, "Satisfaction survey after delivery"),
                touch(Phone, "Quarterly review call with a key account manager"),
                thought("Is this faster and cheaper than our old supplier list?"),
                feel("Satisfied when a reorder takes minutes"),
                pain("Survey answers never visibly change anything"),
                opp(
                    "Key account management",
                    Idea,
                    "Close the loop: tell buyers what changed after each survey round",
                ),
                kpi(
                    "Accounts reordering within 90 days",
                    "%",
                    [38.0, 44.0, 60.0],
                ),
                back("Survey analysis; account reviews with supplier scorecards"),
            ],
        },
    ],
    switches: &[],
};
