"""English customer-email phrases every ticket shares, and English words (months, amounts,
payment and shipping names). Template text of the offline provider, not model output.
"""

# fmt: off
WORDS = {
    "months": [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ],
    "date": "{day} {month} {year}",
    "money": "{amount} EUR",
    "separators": (",", "."),
    "quotes": ("“", "”"),
    "product_fallback": "the product",
    "payment": {
        "credit_card": "credit card", "debit_card": "debit card", "paypal": "PayPal",
        "invoice": "invoice", "bank_transfer": "bank transfer", "klarna": "Klarna",
        "apple_pay": "Apple Pay", "google_pay": "Google Pay", "instalments": "instalments",
    },
    "shipping": {
        "standard": "standard shipping", "express": "express shipping",
        "next_day": "next-day delivery", "store_pickup": "store pickup", "pickup": "store pickup",
    },
}
# fmt: on

# fmt: off
EMAIL: dict[str, list[str]] = {
    "greeting.formal": [
        "Dear Voltora support team,", "Dear Sir or Madam,", "Dear customer service,",
        "Good morning,", "Good afternoon,", "To the Voltora customer service team,",
        "Dear support,", "Hello Voltora team,",
    ],
    "greeting.casual": [
        "Hi,", "Hello,", "Hi there,", "Hey Voltora team,", "Hi support,", "Hello there,",
        "Hi folks,", "Hi team,",
    ],
    "opener": [
        "I am writing about a recent purchase from your shop.",
        "I hope you can help me with a problem I have with an order.",
        "I need your help with something that has been bothering me for a few days.",
        "I'm contacting you about my {product}.", "This is about the {product} I bought from you.",
        "I have a question about one of my orders and could not find the answer on your website.",
        "I tried your help pages first, but they did not cover my situation.",
        "My name is {full} and I have an issue I need help with.",
        "Sorry to bother you, but something has gone wrong with my purchase.",
        "I am reaching out regarding the {product} I ordered from Voltora.",
    ],
    "order.frame": [
        "I placed the order on {order_date}", "I ordered it on {order_date}",
        "The order went in on {order_date}", "I bought it online on {order_date}",
        "My purchase dates from {order_date}", "I completed the checkout on {order_date}",
        "I placed the order {since_order} days ago, on {order_date}",
        "It was ordered on {order_date}",
    ],
    "order.status.delivered": [
        "and it was delivered on {delivery_date}", "and it arrived on {delivery_date}",
        "and the parcel reached me on {delivery_date}", "with delivery on {delivery_date}",
        "and it was delivered {since_delivery} days ago", "and it has been delivered",
    ],
    "order.status.shipped": [
        "and it has been marked as shipped since then", "and your system says it has shipped",
        "and the status has said shipped for a while now",
        "and I got the shipping confirmation shortly after",
    ],
    "order.status.processing": [
        "and it still shows as processing", ", but the status has not moved past processing",
        "and it has been stuck in processing ever since",
        "and it is apparently still being processed",
    ],
    "order.status.returned": [
        "and I have already sent it back to you", "and it has since been returned to you",
        "and the return has already reached your warehouse",
    ],
    "order.status.cancelled": [
        "and the order was cancelled afterwards", ", but it ended up being cancelled",
        "and it now shows as cancelled",
    ],
    "ref.given": [
        "My order number is {ref}.", "The order number is {ref}.",
        "For reference, the order is {ref}.", "You can find it under order {ref}.",
        "It's order {ref}.", "The confirmation email gives the reference {ref}.",
        "Order reference: {ref}.", "In case you need it, the order number is {ref}.",
        "I'm referring to order {ref}.",
    ],
    "ref.missing": [
        "I can't find my order number right now, sorry.",
        "I no longer have the confirmation email, so I don't have the order number at hand.",
        "I deleted the confirmation email by accident, but the order is in my name.",
        "I don't have the order number with me, but you should find it under my name.",
        "Unfortunately I have misplaced the order confirmation.",
        "I'm writing from my phone and can't look up the order number at the moment.",
        "The order should be easy to find under my name and email address.",
    ],
    "detail": [
        "I paid {total} in total, by {payment}.", "The whole order came to {total}.",
        "It was sent with {shipping}.", "I chose {shipping} for this order.",
        "The {product} alone cost me {price}.", "There were {items} items in the order.",
        "I paid by {payment}, if that matters.", "I still have the invoice from the order.",
        "This is the first time I have had a problem with an order from you.",
        "I have ordered from you many times before without any trouble.",
        "I already checked the FAQ on your website, but it did not answer my question.",
        "It has been {since_order} days since I ordered.",
    ],
    "history": [
        "I already wrote to you about this last week and got no reply.",
        "This is the second time I am contacting you about it.",
        "I called your hotline, but the call was cut off after a long wait.",
        "Your chat assistant told me someone would email me, but nobody did.",
        "I was told the problem would be solved within a few days, and it was not.",
        "I have tried to sort this out on my own, without success.",
    ],
    "tier.plus": [
        "I am a Plus member, so I hoped for a smoother experience.",
        "As a Plus customer I expected better.",
        "I pay for the Plus membership, which I thought included faster help.",
    ],
    "tier.business": [
        "I am ordering on behalf of my company, and we rely on this equipment.",
        "We are a business customer and this affects our daily work.",
        "As a Business customer, I need this sorted out quickly for our team.",
    ],
    "tone.low": [
        "There is no rush, whenever you get a chance.",
        "It's not urgent, but I would appreciate an answer.",
        "Take your time, I just want to get this sorted eventually.", "No hurry at all.",
    ],
    "tone.medium": [
        "I would appreciate a reply in the next few days.", "I hope we can sort this out soon.",
        "Please let me know how we proceed.", "I look forward to hearing from you.",
    ],
    "tone.high": [
        "I would really like this resolved quickly.", "This is becoming quite frustrating.",
        "Please treat this with some priority.", "I have been patient, but I need an answer soon.",
    ],
    "tone.urgent": [
        "This is urgent: please reply today.", "I need this fixed immediately.",
        "Please deal with this as a matter of urgency.", "This cannot wait any longer.",
    ],
    "ask.frame": [
        "I would like {want}.", "What I am asking for is {want}.",
        "Please let me know how I can get {want}.", "I would be grateful for {want}.",
        "Can you help me get {want}?", "Ideally, I would like {want}.",
        "My request is simple: {want}.", "I am hoping for {want}.",
    ],
    "want.refund": [
        "a full refund", "a refund of the full price", "a refund to my original payment method",
    ],
    "want.store_credit": [
        "store credit instead of a refund", "the refund amount as store credit",
        "a credit on my account that I can spend later",
    ],
    "want.replacement": [
        "a replacement", "a new unit in working order",
        "a replacement sent out as soon as possible",
    ],
    "want.exchange": [
        "an exchange for a different model", "a swap for another version",
        "an exchange rather than a refund",
    ],
    "want.repair": [
        "a repair under warranty", "a free repair of the {product}",
        "a warranty repair of the fault",
    ],
    "want.reversal": [
        "a reversal of the extra charge", "a refund of the wrong amount to my card",
        "a correction of the charge",
    ],
    "want.price_diff": [
        "a refund of the price difference", "the difference to the new, lower price",
        "a refund of the amount the price dropped by",
    ],
    "want.delivery": [
        "a clear update on when it will arrive", "delivery of the parcel at last",
        "a firm delivery date",
    ],
    "want.access": [
        "access to my account again", "help unlocking my account", "a working way to log in",
    ],
    "want.data_copy": [
        "a copy of my personal data", "an export of all the data you hold on me",
        "a full overview of the data you have stored about me",
    ],
    "want.deletion": [
        "the deletion of my account and personal data", "the closure and deletion of my account",
        "the erasure of all my personal data",
    ],
    "want.compensation": [
        "some kind of goodwill gesture", "a voucher for the trouble", "compensation for the hassle",
    ],
    "want.supervisor": [
        "an escalation of my case to a supervisor", "a review of my case by a supervisor",
        "a call from someone senior",
    ],
    "want.cancel": [
        "the cancellation of the order", "a cancellation before anything is shipped",
        "confirmation that the purchase is called off",
    ],
    "want.address": [
        "a change of the delivery address", "a redirection of the parcel to my new address",
        "an update of the shipping address",
    ],
    "want.instalment": [
        "help with my instalment plan", "a fix for the failed instalment",
        "a way to get my instalment payments back on track",
    ],
    "want.explanation": [
        "an explanation of what went wrong", "a clear answer", "some clarity on what happens next",
    ],
    "closing.formal": [
        "Thank you in advance for your help.", "I look forward to your reply.",
        "Thank you for looking into this.", "I appreciate your assistance.",
        "Many thanks for your time.", "I await your response.",
    ],
    "closing.casual": [
        "Thanks a lot!", "Thanks in advance.", "Cheers for the help.", "Appreciate it!",
        "Thanks for sorting this out.", "Hope to hear back soon.",
    ],
    "signoff.formal": [
        "Kind regards,\n{first}", "Best regards,\n{first}", "Yours sincerely,\n{first}",
        "With thanks,\n{first}", "Regards,\n{first}",
    ],
    "signoff.casual": [
        "Thanks,\n{first}", "Cheers,\n{first}", "Best,\n{first}", "{first}",
        "All the best,\n{first}",
    ],
    "subject.prefix.high": ["Please help: ", "Important: ", "Second request: "],
    "subject.prefix.urgent": ["URGENT: ", "Urgent: ", "Time-critical: "],
    "subject.ref": [" ({ref})", " - order {ref}", " [{ref}]", ", order {ref}"],
}
# fmt: on
