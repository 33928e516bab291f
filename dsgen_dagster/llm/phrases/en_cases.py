"""English customer-email phrases per ticket type: what happened, the details a customer adds,
the subject line. Template text of the offline provider, not model output.
"""

# fmt: off
CASES: dict[str, list[str]] = {
    "situation.return_request": [
        "I would like to send back the {product} because it is not what I expected.",
        "The {product} does not suit my needs after all, so I want to return it.",
        "I changed my mind about the {product} and would like to return it.",
        "After trying the {product} for a few days I have decided it is not for me.",
        "I bought the {product} as a gift, but the person already had one.",
        "The {product} turned out not to work with the rest of my setup, so it has to go back.",
        "I ordered the {product} by mistake and would rather not keep it.",
        "The {product} works, but it simply does not do what I bought it for.",
    ],
    "situation.refund_status": [
        "I returned the {product} some time ago and I still have not seen my refund.",
        "My refund for the {product} has not reached my account yet.",
        "You confirmed that the {product} came back to you, but no money has come back to me.",
        "I am still waiting for the refund you promised for the {product}.",
        "My bank statement shows no refund for the {product}, even though I sent it back.",
        "I would like to know what is happening with the refund for my {product}.",
        "The refund for the {product} seems to be stuck somewhere between you and my bank.",
    ],
    "situation.shipping_delay": [
        "My {product} has still not arrived.",
        "The delivery of the {product} is taking much longer than I was told.",
        "I have been waiting for the {product} for far too long now.",
        "The tracking for my {product} has not changed for days.",
        "The {product} was supposed to be here by now, but there is no sign of it.",
        "I keep checking the tracking page, but my {product} does not seem to move.",
        "The estimated delivery date for the {product} has come and gone.",
    ],
    "situation.damaged_item": [
        "The {product} arrived damaged.", "When I opened the box, the {product} was broken.",
        "The {product} came with a cracked casing and a dented box.",
        "Unfortunately the {product} has a deep scratch and one corner is bent.",
        "The parcel was crushed and the {product} inside does not work.",
        "The {product} I received is visibly damaged, which is really disappointing.",
        "Something was rattling in the box, and now the {product} will not switch on.",
    ],
    "situation.warranty_claim": [
        "My {product} has stopped working properly.",
        "The {product} developed a fault after a few months of normal use.",
        "The {product} switches itself off at random and I think it is defective.",
        "The {product} no longer charges, although I have always treated it carefully.",
        "There is a defect in my {product}: it keeps restarting on its own.",
        "My {product} suddenly died and will not turn on anymore.",
        "The {product} makes a strange noise and stops working after a few minutes.",
    ],
    "situation.billing_dispute": [
        "I was charged more than I expected for my order.",
        "I see two charges on my card for the same purchase.",
        "The amount taken from my account does not match what I saw at checkout.",
        "There is a payment to Voltora on my statement that I do not recognise.",
        "My invoice shows a higher price than the one on your website when I bought it.",
        "I think I have been billed twice for the {product}.",
        "I was charged for the {product} even though I thought that purchase had been cancelled.",
    ],
    "situation.account_access": [
        "I cannot log in to my Voltora account anymore.",
        "My account has been locked and I do not know why.",
        "The password reset link you send me does not work.",
        "Every time I try to sign in, I get an error message.",
        "I no longer have access to my customer account.",
        "I never receive the password reset email, so I am stuck outside my account.",
        "My login stopped working right after I changed my password.",
    ],
    "situation.privacy_request": [
        "I have a question about the personal data you keep about me.",
        "I am concerned about how much of my personal information is stored in my account.",
        "I would like to exercise my rights regarding the data linked to my account.",
        "I am contacting you about my personal data.",
        "After reading about data breaches lately, I want to take control of my data.",
        "I have been going through my online accounts, and my Voltora account is one of them.",
    ],
    "situation.complaint": [
        "I am very unhappy with the way my purchase has been handled.",
        "Your service has been disappointing from start to finish.",
        "I have contacted you several times and nobody has solved my problem.",
        "I have been a loyal customer, but this experience has been frustrating.",
        "Frankly, the handling of my {product} has been a mess.",
        "Nobody at Voltora seems to take responsibility for my case.",
        "I am disappointed with the service I have received about my {product}.",
    ],
    "detail.return_request": [
        "The {product} is in as-new condition.",
        "I have kept all the accessories and the original box.",
        "As far as I know, the return window is {window} days.",
    ],
    "detail.refund_status": [
        "The tracking shows that the parcel reached you.", "I sent it back with the prepaid label.",
        "I have checked my account every day.",
    ],
    "detail.shipping_delay": [
        "I needed it for a specific date.", "The tracking link you sent leads nowhere.",
        "Nobody from the carrier has contacted me.",
    ],
    "detail.damaged_item": [
        "I took photos of the box and the {product} right away.",
        "The outer box was already torn when the courier handed it over.",
        "I have not used it at all.",
    ],
    "detail.warranty_claim": [
        "I have not dropped it or got it wet.", "I already tried a full reset, without success.",
        "It should still be within the {warranty}-month warranty.",
    ],
    "detail.billing_dispute": [
        "I have a screenshot of the price at checkout.",
        "My bank says the charge came from Voltora.", "I only placed one order.",
    ],
    "detail.account_access": [
        "I have tried on two different browsers.", "I checked my spam folder as well.",
        "My email address has not changed.",
    ],
    "detail.privacy_request": [
        "I am the account holder and I'm writing from the email address on file.",
        "I would like a written confirmation once everything is handled.",
        "I understand you may need to verify my identity first.",
    ],
    "detail.complaint": [
        "I have spent hours on this already.", "I was promised a callback that never came.",
        "This is not the level of service I expect from you.",
    ],
    "subject.return_request": [
        "Returning my {product}", "Return request: {product}", "I'd like to return an item",
        "How do I send back the {product}?", "Return of my recent purchase",
        "Want to return the {product}",
    ],
    "subject.refund_status": [
        "Where is my refund?", "Refund for {product} still missing", "Still waiting for my refund",
        "Refund status for my return", "No refund yet for the {product}",
        "Question about a pending refund",
    ],
    "subject.shipping_delay": [
        "My {product} has not arrived", "Delivery delayed", "Where is my parcel?",
        "Still not delivered", "Late delivery of {product}", "No tracking update for days",
    ],
    "subject.damaged_item": [
        "{product} arrived damaged", "Damaged delivery", "Broken item received",
        "Problem with a damaged {product}", "My parcel arrived crushed", "Item damaged in transit",
    ],
    "subject.warranty_claim": [
        "Warranty claim for {product}", "{product} stopped working", "Defective {product}",
        "Faulty {product}: warranty", "Repair request", "My {product} is broken",
    ],
    "subject.billing_dispute": [
        "Incorrect charge", "Charged twice?", "Question about my invoice", "Wrong amount billed",
        "Unrecognised payment on my card", "Billing problem with my purchase",
    ],
    "subject.account_access": [
        "Cannot log in", "Locked out of my account", "Password reset not working",
        "Account access problem", "Login issue", "Help getting back into my account",
    ],
    "subject.privacy_request": [
        "Personal data request", "Request regarding my data", "Data privacy request",
        "My personal information", "Question about my stored data",
        "Request under data protection law",
    ],
    "subject.complaint": [
        "Formal complaint", "Very disappointed", "Complaint about your service",
        "Unacceptable handling of my purchase", "Not happy with Voltora",
        "Complaint regarding my {product}",
    ],
}
# fmt: on
