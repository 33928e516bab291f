"""English agent-answer phrases. Template text of the offline provider, not model output.

`{q}` is a verbatim policy quote in quotation marks; `{title}` and `{number}` name its clause.
"""

# fmt: off
ANSWER: dict[str, list[str]] = {
    "greeting": [
        "Dear {first},", "Hello {first},", "Hi {first},", "Dear {full},", "Good day {first},",
    ],
    "thanks": [
        "Thank you for contacting Voltora customer service.",
        "Thanks for getting in touch with us.", "Thank you for your message.",
        "Many thanks for reaching out.", "Thank you for writing to us.",
        "We appreciate you letting us know.",
    ],
    "ack.return_request": [
        "I understand you would like to return your {product}.",
        "I'm sorry the {product} did not work out for you.",
        "Returning the {product} is something we can look at together.",
    ],
    "ack.refund_status": [
        "I understand you are waiting for the refund for your {product}.",
        "I'm sorry the refund is taking longer than you expected.",
        "I have checked where your refund stands.",
    ],
    "ack.shipping_delay": [
        "I'm sorry your {product} has not reached you yet.",
        "I understand how frustrating it is to wait for a delivery.",
        "I have looked into the delivery of your {product}.",
    ],
    "ack.damaged_item": [
        "I'm very sorry the {product} arrived damaged.",
        "That is not how your {product} should have reached you.",
        "Thank you for telling us about the damage straight away.",
    ],
    "ack.warranty_claim": [
        "I'm sorry to hear your {product} has developed a fault.",
        "Thank you for describing the problem with your {product}.",
        "A fault like this is exactly what our warranty process is for.",
    ],
    "ack.billing_dispute": [
        "I understand there is a problem with the amount you were charged.",
        "I'm sorry for the confusion about the charge.",
        "I have looked at the billing for your purchase.",
    ],
    "ack.account_access": [
        "I'm sorry you cannot get into your account.",
        "Being locked out is annoying, and we will help you get back in.",
        "I understand you are having trouble logging in.",
    ],
    "ack.privacy_request": [
        "Thank you for your request about your personal data.",
        "We take requests about personal data seriously.", "I have registered your data request.",
    ],
    "ack.complaint": [
        "I'm sorry that your experience with us has been so disappointing.",
        "I understand your frustration, and I apologise.",
        "Thank you for telling us plainly what went wrong.",
    ],
    "status.delivered": [
        "Our records show the order was delivered on {delivery_date}.",
        "I can see that the parcel was delivered on {delivery_date}.",
        "According to our system, the order has been delivered.",
    ],
    "status.shipped": [
        "I can see that the order has shipped.",
        "The order left our warehouse and is with the carrier.",
    ],
    "status.processing": [
        "The order is still being processed in our warehouse.",
        "I can see the order has not left our warehouse yet.",
    ],
    "status.returned": [
        "I can see the return has been registered.",
        "Our system shows the product has come back to us.",
    ],
    "status.cancelled": [
        "I can see that the order was cancelled.", "Our system shows the order as cancelled.",
    ],
    "ref.given": [
        "I have found your order {ref}.", "I have looked up order {ref}.",
        "I have your order {ref} in front of me.",
        "Thank you for including the order number {ref}.",
    ],
    "ref.unclear": [
        "I could not find an order under {ref}; could you double-check the order number?",
        "The reference {ref} does not match any order I can see, so please check the order number.",
        "I was not able to locate {ref}; please send me the order number exactly as it appears in "
        "your confirmation email.",
    ],
    "ref.missing": [
        "Could you please send me your order number so that I can look at the order?",
        "To go further I need the order number from your confirmation email.",
        "Please reply with your order number; without it I cannot locate the order.",
        "Could you let me have the order number? You will find it in the confirmation email.",
    ],
    "cite.first": [
        "Our policy on {title} says: {q}", "Here is what our customer service policy says: {q}",
        "The relevant rule ({title}) reads: {q}", "According to our policy: {q}",
        "Section {number} of our policy, {title}, states: {q}",
        "Our terms are clear on this point: {q}", "This is covered by our policy on {title}: {q}",
        "For your case the following rule applies: {q}",
    ],
    "cite.more": [
        "In addition: {q}", "There is also this rule, {title}: {q}",
        "Another point matters here: {q}", "Our policy also says: {q}",
        "Section {number} adds: {q}",
    ],
    "next.return_request": [
        "Please pack the {product} with all its accessories and send it back with the return "
        "label I will email you.",
        "Once the {product} reaches our returns centre, it will be inspected and we will update "
        "you.",
        "I will send you a return label by email today.",
    ],
    "next.refund_status": [
        "I have asked our billing team to check the refund and will get back to you.",
        "As soon as the refund is released, you will receive a confirmation email.",
        "If the refund has already been sent, it can take a few days to show on your statement.",
    ],
    "next.shipping_delay": [
        "I have opened an investigation with the carrier.",
        "I will keep an eye on the tracking and contact you as soon as it moves.",
        "If the parcel does not turn up, we will arrange a solution with you.",
    ],
    "next.damaged_item": [
        "Please send us photos of the {product} and of the packaging.",
        "We will arrange the collection of the damaged {product}.",
        "As soon as we have the photos, we will take care of the rest.",
    ],
    "next.warranty_claim": [
        "Please send us a short description of the fault and, if possible, a photo or video.",
        "We will send you a prepaid label so that the {product} can go to our repair centre.",
        "Our technicians will assess the {product} and let you know the outcome.",
    ],
    "next.billing_dispute": [
        "I have forwarded the case to our billing team for review.",
        "Our billing team will check the charge and correct it if it is wrong.",
        "You will receive a written answer from our billing team.",
    ],
    "next.account_access": [
        "I have sent a new password reset link to the email address on file.",
        "Please try the reset link from a private browser window.",
        "If the link still does not work, reply to this email and we will look at the account.",
    ],
    "next.privacy_request": [
        "To protect your data, we first need to confirm your identity.",
        "Once your identity is confirmed, we will process the request and confirm in writing.",
        "You will receive a confirmation email when the request has been completed.",
    ],
    "next.complaint": [
        "I have passed your case to a senior colleague who will review it.",
        "I will personally follow up on your case.",
        "We will come back to you with a full answer as quickly as possible.",
    ],
    "tier.plus": ["Your Plus membership is noted on this case."],
    "tier.business": [
        "Your case is flagged as a Business account.",
        "As a Business customer, your case is handled by our business team.",
    ],
    "closing": [
        "If you have any further questions, just reply to this email.",
        "I hope this helps, and I'm here if you need anything else.",
        "Please don't hesitate to get back to me.", "Thank you for your patience.",
        "We are sorry for the inconvenience and thank you for your understanding.",
    ],
    "signoff": [
        "Kind regards,\n{agent}\nVoltora Customer Service",
        "Best wishes,\n{agent}, Voltora Support",
        "Regards,\n{agent}\nCustomer Service Team, Voltora Electronics",
        "Sincerely,\n{agent}\nVoltora Electronics",
    ],
    "agent": ["Emma", "James", "Olivia", "Daniel", "Sophie", "Michael", "Hannah", "Ryan"],
}
# fmt: on
