"""German customer-email phrases per ticket type: what happened, the details a customer adds,
the subject line. Template text of the offline provider, not model output.
"""

# fmt: off
CASES: dict[str, list[str]] = {
    "situation.return_request": [
        "Ich möchte den Artikel {product} zurückschicken, weil er nicht meinen Erwartungen "
        "entspricht.",
        "Das Gerät {product} passt doch nicht zu meinen Bedürfnissen, deshalb möchte ich es "
        "zurückgeben.",
        "Ich habe es mir mit dem Artikel {product} anders überlegt und möchte ihn zurücksenden.",
        "Nachdem ich das Gerät {product} ein paar Tage ausprobiert habe, habe ich entschieden, "
        "dass es nichts für mich ist.",
        "Ich habe den Artikel {product} als Geschenk gekauft, aber die beschenkte Person hatte "
        "schon einen.",
        "Das Gerät {product} funktioniert leider nicht mit dem Rest meiner Ausstattung und muss "
        "zurück.",
        "Ich habe den Artikel {product} versehentlich bestellt und möchte ihn nicht behalten.",
        "Das Gerät {product} funktioniert zwar, erfüllt aber nicht den Zweck, für den ich es "
        "gekauft habe.",
    ],
    "situation.refund_status": [
        "Ich habe den Artikel {product} vor einiger Zeit zurückgeschickt und noch keine "
        "Erstattung gesehen.",
        "Die Erstattung für den Artikel {product} ist noch nicht auf meinem Konto angekommen.",
        "Sie haben bestätigt, dass das Gerät {product} bei Ihnen angekommen ist, aber mein Geld "
        "habe ich nicht zurückbekommen.",
        "Ich warte immer noch auf die zugesagte Erstattung für den Artikel {product}.",
        "Auf meinem Kontoauszug ist keine Erstattung für das Gerät {product} zu sehen, obwohl ich "
        "es zurückgeschickt habe.",
        "Ich würde gern wissen, was mit der Erstattung für den Artikel {product} los ist.",
        "Die Erstattung für das Gerät {product} scheint irgendwo zwischen Ihnen und meiner Bank "
        "festzustecken.",
    ],
    "situation.shipping_delay": [
        "Mein Paket mit dem Artikel {product} ist immer noch nicht angekommen.",
        "Die Lieferung des Geräts {product} dauert viel länger als angekündigt.",
        "Ich warte inzwischen viel zu lange auf den Artikel {product}.",
        "Die Sendungsverfolgung für meinen Artikel {product} hat sich seit Tagen nicht verändert.",
        "Das Gerät {product} hätte längst da sein sollen, aber es ist nichts angekommen.",
        "Ich schaue ständig in die Sendungsverfolgung, aber mein Paket bewegt sich nicht.",
        "Der angekündigte Liefertermin für den Artikel {product} ist längst verstrichen.",
    ],
    "situation.damaged_item": [
        "Der Artikel {product} ist beschädigt bei mir angekommen.",
        "Als ich den Karton geöffnet habe, war das Gerät {product} kaputt.",
        "Das Gehäuse des Geräts {product} hat einen Riss, und der Karton war eingedrückt.",
        "Leider hat das Gerät {product} einen tiefen Kratzer, und eine Ecke ist verbogen.",
        "Das Paket war zerdrückt, und das Gerät {product} darin funktioniert nicht.",
        "Der gelieferte Artikel {product} ist sichtbar beschädigt, was wirklich enttäuschend ist.",
        "Im Karton hat etwas geklappert, und jetzt lässt sich das Gerät {product} nicht mehr "
        "einschalten.",
    ],
    "situation.warranty_claim": [
        "Mein Gerät {product} funktioniert nicht mehr richtig.",
        "Das Gerät {product} hat nach ein paar Monaten normaler Nutzung einen Defekt entwickelt.",
        "Das Gerät {product} schaltet sich zufällig ab, ich vermute einen Defekt.",
        "Das Gerät {product} lädt nicht mehr, obwohl ich immer sorgfältig damit umgegangen bin.",
        "Mein Gerät {product} hat einen Fehler: Es startet ständig von selbst neu.",
        "Mein Gerät {product} ist plötzlich ausgefallen und lässt sich nicht mehr einschalten.",
        "Das Gerät {product} macht ein seltsames Geräusch und geht nach ein paar Minuten aus.",
    ],
    "situation.billing_dispute": [
        "Mir wurde für meine Bestellung mehr berechnet als erwartet.",
        "Ich sehe zwei Abbuchungen für denselben Einkauf auf meiner Karte.",
        "Der abgebuchte Betrag stimmt nicht mit dem Preis an der Kasse überein.",
        "Auf meinem Kontoauszug steht eine Zahlung an Voltora, die ich nicht zuordnen kann.",
        "Auf meiner Rechnung steht ein höherer Preis als damals auf Ihrer Website.",
        "Ich glaube, mir wurde der Artikel {product} doppelt berechnet.",
        "Mir wurde der Artikel {product} berechnet, obwohl ich dachte, der Kauf sei storniert.",
    ],
    "situation.account_access": [
        "Ich kann mich nicht mehr in mein Voltora-Konto einloggen.",
        "Mein Konto wurde gesperrt, und ich weiß nicht, warum.",
        "Der Link zum Zurücksetzen des Passworts, den Sie mir schicken, funktioniert nicht.",
        "Jedes Mal, wenn ich mich anmelden will, bekomme ich eine Fehlermeldung.",
        "Ich habe keinen Zugriff mehr auf mein Kundenkonto.",
        "Die E-Mail zum Zurücksetzen des Passworts kommt nie an, deshalb komme ich nicht in mein "
        "Konto.",
        "Meine Anmeldung funktioniert nicht mehr, seit ich mein Passwort geändert habe.",
    ],
    "situation.privacy_request": [
        "Ich habe eine Frage zu den personenbezogenen Daten, die Sie über mich speichern.",
        "Mir macht Sorgen, wie viele persönliche Informationen in meinem Konto gespeichert sind.",
        "Ich möchte meine Rechte in Bezug auf die Daten in meinem Konto wahrnehmen.",
        "Ich wende mich wegen meiner personenbezogenen Daten an Sie.",
        "Nach den Berichten über Datenlecks in letzter Zeit möchte ich die Kontrolle über meine "
        "Daten zurück.",
        "Ich gehe gerade meine Online-Konten durch, und mein Voltora-Konto ist eines davon.",
    ],
    "situation.complaint": [
        "Ich bin sehr unzufrieden damit, wie mein Einkauf abgewickelt wurde.",
        "Ihr Service war von Anfang bis Ende enttäuschend.",
        "Ich habe mich schon mehrmals bei Ihnen gemeldet, und niemand hat mein Problem gelöst.",
        "Ich kaufe seit Jahren bei Ihnen ein, aber diese Erfahrung war frustrierend.",
        "Ehrlich gesagt war die Abwicklung rund um den Artikel {product} ein einziges "
        "Durcheinander.",
        "Bei Voltora scheint sich niemand für meinen Fall verantwortlich zu fühlen.",
        "Ich bin enttäuscht vom Service, den ich rund um den Artikel {product} erlebt habe.",
    ],
    "detail.return_request": [
        "Der Artikel {product} ist in neuwertigem Zustand.",
        "Ich habe das gesamte Zubehör und die Originalverpackung aufbewahrt.",
        "Soweit ich weiß, beträgt die Rückgabefrist {window} Tage.",
    ],
    "detail.refund_status": [
        "Laut Sendungsverfolgung ist das Paket bei Ihnen angekommen.",
        "Ich habe es mit dem vorfrankierten Etikett zurückgeschickt.",
        "Ich schaue jeden Tag auf mein Konto.",
    ],
    "detail.shipping_delay": [
        "Ich brauchte es zu einem bestimmten Termin.",
        "Der Link zur Sendungsverfolgung führt ins Leere.",
        "Der Paketdienst hat sich bei mir nicht gemeldet.",
    ],
    "detail.damaged_item": [
        "Ich habe sofort Fotos vom Karton und vom Gerät gemacht.",
        "Der Außenkarton war schon eingerissen, als der Bote ihn übergab.",
        "Ich habe es überhaupt nicht benutzt.",
    ],
    "detail.warranty_claim": [
        "Es ist weder heruntergefallen noch nass geworden.",
        "Ich habe bereits einen vollständigen Reset versucht, ohne Erfolg.",
        "Es sollte noch innerhalb der Garantie von {warranty} Monaten sein.",
    ],
    "detail.billing_dispute": [
        "Ich habe einen Screenshot des Preises an der Kasse.",
        "Meine Bank sagt, die Abbuchung kam von Voltora.",
        "Ich habe nur eine Bestellung aufgegeben.",
    ],
    "detail.account_access": [
        "Ich habe es mit zwei verschiedenen Browsern versucht.",
        "Meinen Spam-Ordner habe ich auch schon geprüft.",
        "Meine E-Mail-Adresse hat sich nicht geändert.",
    ],
    "detail.privacy_request": [
        "Ich schreibe von der E-Mail-Adresse, die in meinem Konto hinterlegt ist.",
        "Ich hätte gern eine schriftliche Bestätigung, sobald alles erledigt ist.",
        "Mir ist klar, dass Sie vorher meine Identität prüfen müssen.",
    ],
    "detail.complaint": [
        "Ich habe damit schon Stunden verbracht.",
        "Mir wurde ein Rückruf versprochen, der nie kam.",
        "Das ist nicht der Service, den ich von Ihnen erwarte.",
    ],
    "subject.return_request": [
        "Rücksendung: {product}", "Rückgabe meines Artikels {product}",
        "Ich möchte einen Artikel zurückgeben", "Wie schicke ich {product} zurück?",
        "Rückgabe meines letzten Einkaufs", "Retoure {product}",
    ],
    "subject.refund_status": [
        "Wo bleibt meine Erstattung?", "Erstattung für {product} fehlt noch",
        "Warte immer noch auf meine Erstattung", "Stand meiner Erstattung",
        "Noch keine Erstattung für {product}", "Frage zu einer offenen Erstattung",
    ],
    "subject.shipping_delay": [
        "Mein Artikel {product} ist nicht angekommen", "Lieferung verspätet", "Wo ist mein Paket?",
        "Immer noch nicht geliefert", "Verspätete Lieferung: {product}",
        "Seit Tagen keine Sendungsverfolgung",
    ],
    "subject.damaged_item": [
        "{product} beschädigt angekommen", "Beschädigte Lieferung", "Kaputten Artikel erhalten",
        "Problem mit beschädigtem Artikel {product}", "Paket kam zerdrückt an", "Transportschaden",
    ],
    "subject.warranty_claim": [
        "Garantiefall: {product}", "{product} funktioniert nicht mehr", "Defektes Gerät {product}",
        "Gerät {product} defekt: Garantie", "Reparaturanfrage", "Mein Gerät {product} ist kaputt",
    ],
    "subject.billing_dispute": [
        "Falsche Abbuchung", "Doppelt abgebucht?", "Frage zu meiner Rechnung",
        "Falscher Betrag berechnet", "Unbekannte Zahlung auf meiner Karte",
        "Abrechnungsproblem bei meinem Einkauf",
    ],
    "subject.account_access": [
        "Kann mich nicht anmelden", "Aus meinem Konto ausgesperrt",
        "Passwort-Zurücksetzen funktioniert nicht", "Problem mit dem Kontozugang", "Login-Problem",
        "Hilfe beim Zugang zu meinem Konto",
    ],
    "subject.privacy_request": [
        "Anfrage zu personenbezogenen Daten", "Anfrage zu meinen Daten", "Datenschutzanfrage",
        "Meine persönlichen Daten", "Frage zu meinen gespeicherten Daten", "Anfrage nach DSGVO",
    ],
    "subject.complaint": [
        "Offizielle Beschwerde", "Sehr enttäuschend", "Beschwerde über Ihren Service",
        "Inakzeptable Abwicklung meines Einkaufs", "Unzufrieden mit Voltora",
        "Beschwerde zu {product}",
    ],
}
# fmt: on
