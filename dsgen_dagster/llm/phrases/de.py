"""German customer-email phrases every ticket shares, and German words (months, amounts,
payment and shipping names). Template text of the offline provider, not model output.
"""

# fmt: off
WORDS = {
    "months": [
        "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
        "Oktober", "November", "Dezember",
    ],
    "date": "{day}. {month} {year}",
    "money": "{amount} EUR",
    "separators": (".", ","),
    "quotes": ("„", "“"),
    "product_fallback": "das Produkt",
    "payment": {
        "credit_card": "Kreditkarte", "debit_card": "Debitkarte", "paypal": "PayPal",
        "invoice": "Rechnung", "bank_transfer": "Überweisung", "klarna": "Klarna",
        "apple_pay": "Apple Pay", "google_pay": "Google Pay", "instalments": "Ratenzahlung",
    },
    "shipping": {
        "standard": "Standardversand", "express": "Expressversand",
        "next_day": "Zustellung am Folgetag", "store_pickup": "Abholung im Geschäft",
        "pickup": "Abholung im Geschäft",
    },
}
# fmt: on

# fmt: off
EMAIL: dict[str, list[str]] = {
    "greeting.formal": [
        "Sehr geehrte Damen und Herren,", "Sehr geehrtes Voltora-Team,", "Guten Tag,",
        "Sehr geehrter Kundenservice,", "Guten Morgen,", "Liebes Voltora-Kundenservice-Team,",
        "Guten Tag zusammen,", "Sehr geehrtes Support-Team,",
    ],
    "greeting.casual": [
        "Hallo,", "Hallo zusammen,", "Hi,", "Hallo Voltora-Team,", "Moin,",
        "Hallo liebes Support-Team,", "Servus,", "Hi zusammen,",
    ],
    "opener": [
        "Ich schreibe Ihnen wegen eines Einkaufs in Ihrem Onlineshop.",
        "Ich hoffe, Sie können mir bei einem Problem mit einer Bestellung helfen.",
        "Ich brauche Ihre Hilfe bei einer Sache, die mich seit ein paar Tagen beschäftigt.",
        "Ich melde mich wegen meines Geräts {product}.",
        "Es geht um den Artikel {product}, den ich bei Ihnen gekauft habe.",
        "Ich habe eine Frage zu einer meiner Bestellungen und auf Ihrer Website keine Antwort "
        "gefunden.",
        "Ich habe zuerst Ihre Hilfeseiten durchsucht, aber mein Fall ist dort nicht beschrieben.",
        "Mein Name ist {full}, und ich brauche Unterstützung.",
        "Entschuldigen Sie die Störung, aber bei meinem Einkauf ist etwas schiefgelaufen.",
        "Ich wende mich an Sie wegen des Artikels {product}, den ich bei Voltora bestellt habe.",
    ],
    "order.frame": [
        "Ich habe am {order_date} bestellt", "Die Bestellung habe ich am {order_date} aufgegeben",
        "Gekauft habe ich das Gerät am {order_date}", "Meine Bestellung stammt vom {order_date}",
        "Den Kauf habe ich am {order_date} online abgeschlossen",
        "Ich habe vor {since_order} Tagen bestellt, am {order_date}",
        "Bestellt wurde am {order_date}", "Am {order_date} habe ich die Bestellung aufgegeben",
    ],
    "order.status.delivered": [
        "und die Lieferung kam am {delivery_date}", "und am {delivery_date} wurde geliefert",
        "und das Paket kam am {delivery_date} bei mir an", "mit Zustellung am {delivery_date}",
        "und geliefert wurde vor {since_delivery} Tagen", "und inzwischen wurde auch geliefert",
    ],
    "order.status.shipped": [
        "und seitdem steht der Status auf „versandt“", "und laut Ihrem System ist alles verschickt",
        "und der Status zeigt schon länger „versandt“",
        "und kurz danach kam die Versandbestätigung",
    ],
    "order.status.processing": [
        "und der Status lautet noch immer „in Bearbeitung“",
        ", aber der Status ist nie über „in Bearbeitung“ hinausgekommen",
        "und seitdem hängt alles bei „in Bearbeitung“ fest",
        "und angeblich wird alles noch bearbeitet",
    ],
    "order.status.returned": [
        "und ich habe alles bereits an Sie zurückgeschickt",
        "und die Rücksendung ist inzwischen bei Ihnen",
        "und die Ware ist schon wieder in Ihrem Lager angekommen",
    ],
    "order.status.cancelled": [
        "und die Bestellung wurde danach storniert", ", aber am Ende wurde alles storniert",
        "und jetzt steht dort „storniert“",
    ],
    "ref.given": [
        "Meine Bestellnummer lautet {ref}.", "Die Bestellnummer ist {ref}.",
        "Zur Information: Es handelt sich um die Bestellung {ref}.",
        "Sie finden alles unter der Bestellnummer {ref}.", "Es geht um Bestellung {ref}.",
        "In der Bestätigungsmail steht die Nummer {ref}.", "Bestellnummer: {ref}.",
        "Falls Sie sie brauchen: Die Bestellnummer ist {ref}.",
        "Ich beziehe mich auf die Bestellung {ref}.",
    ],
    "ref.missing": [
        "Meine Bestellnummer finde ich gerade leider nicht.",
        "Die Bestätigungsmail habe ich nicht mehr, deshalb habe ich die Bestellnummer nicht zur "
        "Hand.",
        "Ich habe die Bestätigungsmail versehentlich gelöscht, aber die Bestellung läuft auf "
        "meinen Namen.",
        "Die Bestellnummer habe ich nicht dabei, aber Sie sollten alles unter meinem Namen finden.",
        "Leider habe ich die Auftragsbestätigung verlegt.",
        "Ich schreibe vom Handy und kann die Bestellnummer gerade nicht nachsehen.",
        "Die Bestellung sollte unter meinem Namen und meiner E-Mail-Adresse leicht zu finden sein.",
    ],
    "detail": [
        "Insgesamt habe ich {total} per {payment} bezahlt.",
        "Die gesamte Bestellung kostete {total}.", "Verschickt wurde mit {shipping}.",
        "Ich hatte für diese Bestellung {shipping} gewählt.",
        "Allein das Gerät hat mich {price} gekostet.", "Die Bestellung umfasste {items} Artikel.",
        "Bezahlt habe ich per {payment}, falls das wichtig ist.",
        "Die Rechnung zur Bestellung habe ich noch.",
        "Es ist das erste Mal, dass ich mit einer Bestellung bei Ihnen Probleme habe.",
        "Ich habe schon oft bei Ihnen bestellt, immer ohne Probleme.",
        "Ich habe bereits die FAQ auf Ihrer Website gelesen, aber dort keine Antwort gefunden.",
        "Seit meiner Bestellung sind schon {since_order} Tage vergangen.",
    ],
    "history": [
        "Ich habe Ihnen deswegen schon letzte Woche geschrieben und keine Antwort bekommen.",
        "Ich melde mich nun schon zum zweiten Mal in dieser Sache.",
        "Ich habe bei Ihrer Hotline angerufen, aber nach langer Wartezeit brach das Gespräch ab.",
        "Ihr Chat-Assistent sagte, jemand würde mir schreiben, aber es kam nichts.",
        "Mir wurde gesagt, das Problem sei in wenigen Tagen gelöst, und das war es nicht.",
        "Ich habe versucht, das selbst zu klären, leider ohne Erfolg.",
    ],
    "tier.plus": [
        "Ich bin Plus-Mitglied und hatte mir einen reibungsloseren Ablauf erhofft.",
        "Als Plus-Mitglied hätte ich mehr erwartet.",
        "Ich zahle für die Plus-Mitgliedschaft und dachte, dass damit schnellere Hilfe verbunden "
        "ist.",
    ],
    "tier.business": [
        "Ich bestelle für mein Unternehmen, und wir sind auf diese Geräte angewiesen.",
        "Wir sind Geschäftskunden, und das Problem beeinträchtigt unsere tägliche Arbeit.",
        "Als Geschäftskunden brauchen wir hier schnell eine Lösung für unser Team.",
    ],
    "tone.low": [
        "Es eilt nicht, melden Sie sich einfach, wenn Sie Zeit haben.",
        "Es ist nicht dringend, aber ich würde mich über eine Antwort freuen.",
        "Lassen Sie sich ruhig Zeit, ich möchte das nur irgendwann geklärt haben.", "Keine Eile.",
    ],
    "tone.medium": [
        "Über eine Antwort in den nächsten Tagen würde ich mich freuen.",
        "Ich hoffe, wir können das bald klären.", "Bitte teilen Sie mir mit, wie es weitergeht.",
        "Ich freue mich auf Ihre Rückmeldung.",
    ],
    "tone.high": [
        "Ich möchte das wirklich schnell gelöst haben.", "Das wird langsam ziemlich ärgerlich.",
        "Bitte behandeln Sie das mit etwas Vorrang.",
        "Ich war geduldig, aber ich brauche jetzt bald eine Antwort.",
    ],
    "tone.urgent": [
        "Das ist dringend: Bitte antworten Sie noch heute.", "Das muss sofort behoben werden.",
        "Bitte kümmern Sie sich umgehend darum.", "Das kann nicht länger warten.",
    ],
    "ask.frame": [
        "Ich hätte gern {want}.", "Ich bitte Sie um {want}.",
        "Bitte sagen Sie mir, wie ich {want} bekomme.", "Ich wäre Ihnen dankbar für {want}.",
        "Mir geht es um {want}.", "Mein Anliegen ist einfach: {want}.", "Ich hoffe auf {want}.",
        "Idealerweise hätte ich gern {want}.",
    ],
    "want.refund": [
        "eine vollständige Erstattung", "die Erstattung des vollen Kaufpreises",
        "eine Rückzahlung auf mein ursprüngliches Zahlungsmittel",
    ],
    "want.store_credit": [
        "ein Guthaben statt einer Erstattung", "den Erstattungsbetrag als Guthaben",
        "eine Gutschrift auf meinem Kundenkonto",
    ],
    "want.replacement": [
        "ein Ersatzgerät", "ein neues, funktionierendes Gerät", "einen schnellen Ersatz",
    ],
    "want.exchange": [
        "einen Umtausch gegen ein anderes Modell", "einen Tausch gegen eine andere Ausführung",
        "einen Umtausch statt einer Erstattung",
    ],
    "want.repair": [
        "eine Reparatur im Rahmen der Garantie", "eine kostenlose Reparatur",
        "die Behebung des Defekts unter Garantie",
    ],
    "want.reversal": [
        "die Rückbuchung der zusätzlichen Abbuchung",
        "die Erstattung des falschen Betrags auf meine Karte", "eine Korrektur der Abbuchung",
    ],
    "want.price_diff": [
        "die Erstattung der Preisdifferenz", "die Differenz zum neuen, niedrigeren Preis",
        "eine Erstattung der Preissenkung",
    ],
    "want.delivery": [
        "eine klare Auskunft, wann das Paket kommt", "endlich die Zustellung des Pakets",
        "einen verbindlichen Liefertermin",
    ],
    "want.access": [
        "den Zugang zu meinem Konto", "die Entsperrung meines Kontos",
        "eine funktionierende Möglichkeit zur Anmeldung",
    ],
    "want.data_copy": [
        "eine Kopie meiner personenbezogenen Daten",
        "einen Export aller Daten, die Sie über mich speichern",
        "eine vollständige Übersicht über meine gespeicherten Daten",
    ],
    "want.deletion": [
        "die Löschung meines Kontos und meiner Daten", "die Schließung und Löschung meines Kontos",
        "die Löschung aller meiner personenbezogenen Daten",
    ],
    "want.compensation": [
        "eine Geste der Kulanz", "einen Gutschein für den Ärger",
        "eine Entschädigung für den Aufwand",
    ],
    "want.supervisor": [
        "die Weiterleitung meines Falls an eine Führungskraft",
        "eine Prüfung meines Falls durch eine vorgesetzte Person",
        "einen Rückruf von einer verantwortlichen Person",
    ],
    "want.cancel": [
        "die Stornierung der Bestellung", "eine Stornierung, bevor etwas verschickt wird",
        "eine Bestätigung, dass der Kauf storniert ist",
    ],
    "want.address": [
        "eine Änderung der Lieferadresse", "die Umleitung des Pakets an meine neue Adresse",
        "eine Aktualisierung der Versandadresse",
    ],
    "want.instalment": [
        "Hilfe bei meiner Ratenzahlung", "eine Lösung für die fehlgeschlagene Rate",
        "einen Weg, meine Ratenzahlungen wieder in Ordnung zu bringen",
    ],
    "want.explanation": [
        "eine Erklärung, was schiefgelaufen ist", "eine klare Antwort",
        "Klarheit darüber, wie es weitergeht",
    ],
    "closing.formal": [
        "Vielen Dank im Voraus für Ihre Hilfe.", "Ich freue mich auf Ihre Antwort.",
        "Danke, dass Sie sich darum kümmern.", "Ich danke Ihnen für Ihre Unterstützung.",
        "Vielen Dank für Ihre Zeit.", "Ich erwarte Ihre Rückmeldung.",
    ],
    "closing.casual": [
        "Danke schon mal!", "Vielen Dank vorab.", "Danke für die Hilfe!", "Merci!",
        "Danke, dass ihr euch kümmert.", "Hoffe, bald von euch zu hören.",
    ],
    "signoff.formal": [
        "Mit freundlichen Grüßen\n{first}", "Freundliche Grüße\n{first}", "Beste Grüße\n{first}",
        "Mit besten Grüßen\n{first}", "Hochachtungsvoll\n{first}",
    ],
    "signoff.casual": [
        "Viele Grüße\n{first}", "LG\n{first}", "Gruß\n{first}", "{first}", "Liebe Grüße\n{first}",
    ],
    "subject.prefix.high": ["Bitte um Hilfe: ", "Wichtig: ", "Zweite Anfrage: "],
    "subject.prefix.urgent": ["DRINGEND: ", "Dringend: ", "Eilt: "],
    "subject.ref": [" ({ref})", " - Bestellung {ref}", " [{ref}]", ", Bestellnr. {ref}"],
}
# fmt: on
