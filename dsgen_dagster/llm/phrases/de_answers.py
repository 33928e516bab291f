"""German agent-answer phrases. Template text of the offline provider, not model output.

`{q}` is a verbatim policy quote in quotation marks; `{title}` and `{number}` name its clause.
Policy text stays English, as the shipped policy is English.
"""

# fmt: off
ANSWER: dict[str, list[str]] = {
    "greeting": ["Guten Tag {full},", "Hallo {first},", "Guten Tag {first},", "Hallo {full},"],
    "thanks": [
        "Vielen Dank, dass Sie sich an den Voltora-Kundenservice gewandt haben.",
        "Danke, dass Sie sich bei uns melden.", "Vielen Dank für Ihre Nachricht.",
        "Herzlichen Dank für Ihre Anfrage.", "Danke für Ihr Schreiben.",
        "Gut, dass Sie uns Bescheid geben.",
    ],
    "ack.return_request": [
        "Ich verstehe, dass Sie den Artikel {product} zurückgeben möchten.",
        "Schade, dass das Gerät {product} nicht zu Ihnen gepasst hat.",
        "Die Rückgabe des Artikels {product} schauen wir uns gern gemeinsam an.",
    ],
    "ack.refund_status": [
        "Ich verstehe, dass Sie auf die Erstattung für den Artikel {product} warten.",
        "Es tut mir leid, dass die Erstattung länger dauert als erwartet.",
        "Ich habe nachgesehen, wie der Stand Ihrer Erstattung ist.",
    ],
    "ack.shipping_delay": [
        "Es tut mir leid, dass der Artikel {product} noch nicht bei Ihnen ist.",
        "Ich verstehe gut, wie ärgerlich das Warten auf eine Lieferung ist.",
        "Ich habe mir die Lieferung Ihres Artikels {product} angesehen.",
    ],
    "ack.damaged_item": [
        "Es tut mir sehr leid, dass der Artikel {product} beschädigt angekommen ist.",
        "So hätte Ihr Gerät {product} nicht bei Ihnen ankommen dürfen.",
        "Danke, dass Sie uns den Schaden sofort gemeldet haben.",
    ],
    "ack.warranty_claim": [
        "Es tut mir leid zu hören, dass Ihr Gerät {product} einen Defekt hat.",
        "Danke für die Beschreibung des Problems mit Ihrem Gerät {product}.",
        "Genau für solche Fehler gibt es unseren Garantieprozess.",
    ],
    "ack.billing_dispute": [
        "Ich verstehe, dass es ein Problem mit dem abgebuchten Betrag gibt.",
        "Die Unklarheit bei der Abbuchung tut mir leid.",
        "Ich habe mir die Abrechnung Ihres Einkaufs angesehen.",
    ],
    "ack.account_access": [
        "Es tut mir leid, dass Sie nicht in Ihr Konto kommen.",
        "Ausgesperrt zu sein ist ärgerlich, und wir helfen Ihnen, wieder hineinzukommen.",
        "Ich verstehe, dass Sie Probleme bei der Anmeldung haben.",
    ],
    "ack.privacy_request": [
        "Vielen Dank für Ihre Anfrage zu Ihren personenbezogenen Daten.",
        "Anfragen zu personenbezogenen Daten nehmen wir sehr ernst.",
        "Ich habe Ihre Datenanfrage aufgenommen.",
    ],
    "ack.complaint": [
        "Es tut mir leid, dass Ihre Erfahrung mit uns so enttäuschend war.",
        "Ich verstehe Ihren Ärger, und ich entschuldige mich dafür.",
        "Danke, dass Sie uns offen sagen, was schiefgelaufen ist.",
    ],
    "status.delivered": [
        "Laut unseren Unterlagen wurde die Bestellung am {delivery_date} zugestellt.",
        "Ich sehe, dass das Paket am {delivery_date} geliefert wurde.",
        "Laut unserem System wurde die Bestellung zugestellt.",
    ],
    "status.shipped": [
        "Ich sehe, dass die Bestellung verschickt wurde.",
        "Die Bestellung hat unser Lager verlassen und ist beim Paketdienst.",
    ],
    "status.processing": [
        "Die Bestellung wird in unserem Lager noch bearbeitet.",
        "Ich sehe, dass die Bestellung unser Lager noch nicht verlassen hat.",
    ],
    "status.returned": [
        "Ich sehe, dass die Rücksendung erfasst wurde.",
        "Laut unserem System ist der Artikel wieder bei uns eingetroffen.",
    ],
    "status.cancelled": [
        "Ich sehe, dass die Bestellung storniert wurde.",
        "In unserem System ist die Bestellung als storniert vermerkt.",
    ],
    "ref.given": [
        "Ich habe Ihre Bestellung {ref} gefunden.", "Ich habe die Bestellung {ref} aufgerufen.",
        "Ihre Bestellung {ref} liegt mir vor.",
        "Danke, dass Sie die Bestellnummer {ref} angegeben haben.",
    ],
    "ref.unclear": [
        "Unter {ref} konnte ich keine Bestellung finden; könnten Sie die Bestellnummer bitte noch "
        "einmal prüfen?",
        "Die Angabe {ref} passt zu keiner Bestellung, die ich sehe; bitte prüfen Sie die "
        "Bestellnummer.",
        "Ich konnte {ref} nicht finden; bitte schicken Sie mir die Bestellnummer genau so, wie "
        "sie in Ihrer Bestätigungsmail steht.",
    ],
    "ref.missing": [
        "Könnten Sie mir bitte Ihre Bestellnummer schicken, damit ich mir die Bestellung ansehen "
        "kann?",
        "Um weiterzumachen, brauche ich die Bestellnummer aus Ihrer Bestätigungsmail.",
        "Bitte antworten Sie mit Ihrer Bestellnummer; ohne sie kann ich die Bestellung nicht "
        "finden.",
        "Würden Sie mir die Bestellnummer nennen? Sie finden sie in der Bestätigungsmail.",
    ],
    "cite.first": [
        "Unsere Richtlinie „{title}“ besagt: {q}",
        "Dazu heißt es in unseren Kundenservice-Richtlinien: {q}",
        "Die maßgebliche Regel ({title}) lautet: {q}", "Laut unserer Richtlinie gilt: {q}",
        "Abschnitt {number} unserer Richtlinie, {title}, sagt: {q}",
        "Unsere Bedingungen sind hier eindeutig: {q}",
        "Das regelt unsere Richtlinie „{title}“: {q}", "Für Ihren Fall gilt folgende Regel: {q}",
    ],
    "cite.more": [
        "Außerdem gilt: {q}", "Dazu kommt die Regel „{title}“: {q}",
        "Ein weiterer Punkt ist hier wichtig: {q}", "Unsere Richtlinie sagt zudem: {q}",
        "Abschnitt {number} ergänzt: {q}",
    ],
    "next.return_request": [
        "Bitte verpacken Sie den Artikel {product} mit dem gesamten Zubehör und senden Sie ihn "
        "mit dem Rücksendeetikett zurück, das ich Ihnen per E-Mail schicke.",
        "Sobald der Artikel {product} in unserem Retourenzentrum ankommt, wird er geprüft, und "
        "wir melden uns bei Ihnen.",
        "Ich schicke Ihnen heute noch ein Rücksendeetikett per E-Mail.",
    ],
    "next.refund_status": [
        "Ich habe unser Buchhaltungsteam gebeten, die Erstattung zu prüfen, und melde mich wieder.",
        "Sobald die Erstattung freigegeben ist, erhalten Sie eine Bestätigung per E-Mail.",
        "Falls die Erstattung schon unterwegs ist, kann es einige Tage dauern, bis sie auf Ihrem "
        "Kontoauszug erscheint.",
    ],
    "next.shipping_delay": [
        "Ich habe beim Paketdienst einen Nachforschungsauftrag gestellt.",
        "Ich behalte die Sendungsverfolgung im Blick und melde mich, sobald sich etwas bewegt.",
        "Falls das Paket nicht auftaucht, finden wir gemeinsam mit Ihnen eine Lösung.",
    ],
    "next.damaged_item": [
        "Bitte schicken Sie uns Fotos des Geräts und der Verpackung.",
        "Wir organisieren die Abholung des beschädigten Artikels.",
        "Sobald wir die Fotos haben, kümmern wir uns um den Rest.",
    ],
    "next.warranty_claim": [
        "Bitte schicken Sie uns eine kurze Beschreibung des Fehlers und, wenn möglich, ein Foto "
        "oder Video.",
        "Wir senden Ihnen ein vorfrankiertes Etikett, damit das Gerät in unser Reparaturzentrum "
        "gehen kann.",
        "Unser Technikteam prüft das Gerät und teilt Ihnen das Ergebnis mit.",
    ],
    "next.billing_dispute": [
        "Ich habe den Fall zur Prüfung an unser Abrechnungsteam weitergeleitet.",
        "Unser Abrechnungsteam prüft die Abbuchung und korrigiert sie, falls sie falsch ist.",
        "Sie erhalten eine schriftliche Antwort von unserem Abrechnungsteam.",
    ],
    "next.account_access": [
        "Ich habe einen neuen Link zum Zurücksetzen des Passworts an die hinterlegte "
        "E-Mail-Adresse geschickt.",
        "Bitte öffnen Sie den Link in einem privaten Browserfenster.",
        "Falls der Link weiterhin nicht funktioniert, antworten Sie auf diese E-Mail, und wir "
        "sehen uns das Konto an.",
    ],
    "next.privacy_request": [
        "Zum Schutz Ihrer Daten müssen wir zuerst Ihre Identität bestätigen.",
        "Sobald Ihre Identität bestätigt ist, bearbeiten wir die Anfrage und bestätigen sie "
        "schriftlich.",
        "Sie erhalten eine Bestätigung per E-Mail, wenn die Anfrage erledigt ist.",
    ],
    "next.complaint": [
        "Ich habe Ihren Fall an eine erfahrene Kollegin weitergegeben, die ihn prüft.",
        "Ich kümmere mich persönlich um Ihren Fall.",
        "Wir melden uns so schnell wie möglich mit einer vollständigen Antwort.",
    ],
    "tier.plus": ["Ihre Plus-Mitgliedschaft ist in diesem Fall vermerkt."],
    "tier.business": [
        "Ihr Fall ist als Geschäftskonto gekennzeichnet.",
        "Da Sie ein Geschäftskonto haben, bearbeitet unser Business-Team Ihren Fall.",
    ],
    "closing": [
        "Wenn Sie weitere Fragen haben, antworten Sie einfach auf diese E-Mail.",
        "Ich hoffe, das hilft Ihnen weiter, und bin für Sie da, wenn Sie noch etwas brauchen.",
        "Melden Sie sich gern jederzeit bei mir.", "Vielen Dank für Ihre Geduld.",
        "Wir entschuldigen uns für die Unannehmlichkeiten und danken Ihnen für Ihr Verständnis.",
    ],
    "signoff": [
        "Mit freundlichen Grüßen\n{agent}\nVoltora Kundenservice",
        "Viele Grüße\n{agent}, Voltora Support",
        "Freundliche Grüße\n{agent}\nKundenservice-Team, Voltora Electronics",
        "Beste Grüße\n{agent}\nVoltora Electronics",
    ],
    "agent": ["Katrin", "Stefan", "Julia", "Markus", "Sabine", "Tobias", "Nina", "Florian"],
}
# fmt: on
