"""French agent-answer phrases. Template text of the offline provider, not model output.

`{q}` is a verbatim policy quote in quotation marks; `{title}` and `{number}` name its clause.
Policy text stays English, as the shipped policy is English.
"""

# fmt: off
ANSWER: dict[str, list[str]] = {
    "greeting": [
        "Bonjour {first},", "Bonjour {full},", "{first}, bonjour,", "Bonjour à vous, {first},",
    ],
    "thanks": [
        "Merci d'avoir contacté le service client Voltora.", "Merci de nous avoir écrit.",
        "Merci pour votre message.", "Un grand merci de nous avoir contactés.",
        "Nous vous remercions pour votre message.", "Merci de nous avoir signalé ce problème.",
    ],
    "ack.return_request": [
        "Je comprends que vous souhaitez retourner l'article {product}.",
        "Nous sommes désolés que l'article {product} ne vous ait pas convenu.",
        "Nous allons examiner ensemble le retour de l'article {product}.",
    ],
    "ack.refund_status": [
        "Je comprends que vous attendez le remboursement de l'article {product}.",
        "Nous sommes désolés que le remboursement prenne plus de temps que prévu.",
        "J'ai vérifié où en est votre remboursement.",
    ],
    "ack.shipping_delay": [
        "Nous sommes désolés que l'article {product} ne vous soit pas encore parvenu.",
        "Je comprends à quel point l'attente d'une livraison est pénible.",
        "J'ai examiné la livraison de votre article {product}.",
    ],
    "ack.damaged_item": [
        "Nous sommes vraiment désolés que l'article {product} soit arrivé endommagé.",
        "Votre appareil {product} n'aurait jamais dû vous parvenir dans cet état.",
        "Merci de nous avoir signalé les dégâts aussi rapidement.",
    ],
    "ack.warranty_claim": [
        "Nous sommes désolés d'apprendre que votre appareil {product} présente un défaut.",
        "Merci d'avoir décrit le problème de votre appareil {product}.",
        "C'est précisément pour ce type de panne que notre procédure de garantie existe.",
    ],
    "ack.billing_dispute": [
        "Je comprends qu'il y a un problème avec le montant prélevé.",
        "Nous sommes désolés pour la confusion autour de ce prélèvement.",
        "J'ai examiné la facturation de votre achat.",
    ],
    "ack.account_access": [
        "Nous sommes désolés que vous ne puissiez pas accéder à votre compte.",
        "Être bloqué hors de son compte est agaçant, et nous allons vous aider à y revenir.",
        "Je comprends que vous avez du mal à vous connecter.",
    ],
    "ack.privacy_request": [
        "Merci pour votre demande concernant vos données personnelles.",
        "Nous prenons très au sérieux les demandes relatives aux données personnelles.",
        "J'ai enregistré votre demande relative à vos données.",
    ],
    "ack.complaint": [
        "Nous sommes désolés que votre expérience avec nous ait été si décevante.",
        "Je comprends votre frustration et je vous présente nos excuses.",
        "Merci de nous avoir dit clairement ce qui n'allait pas.",
    ],
    "status.delivered": [
        "D'après nos informations, la commande a été livrée le {delivery_date}.",
        "Je vois que le colis a été livré le {delivery_date}.",
        "Selon notre système, la commande a bien été livrée.",
    ],
    "status.shipped": [
        "Je vois que la commande a été expédiée.",
        "La commande a quitté notre entrepôt et se trouve chez le transporteur.",
    ],
    "status.processing": [
        "La commande est encore en cours de traitement dans notre entrepôt.",
        "Je vois que la commande n'a pas encore quitté notre entrepôt.",
    ],
    "status.returned": [
        "Je vois que le retour a bien été enregistré.",
        "Notre système indique que l'article nous est revenu.",
    ],
    "status.cancelled": [
        "Je vois que la commande a été annulée.",
        "Notre système indique que la commande est annulée.",
    ],
    "ref.given": [
        "J'ai retrouvé votre commande {ref}.", "J'ai consulté la commande {ref}.",
        "J'ai votre commande {ref} sous les yeux.",
        "Merci d'avoir indiqué le numéro de commande {ref}.",
    ],
    "ref.unclear": [
        "Je n'ai trouvé aucune commande sous {ref} ; pourriez-vous vérifier le numéro de commande "
        "?",
        "La référence {ref} ne correspond à aucune commande visible de notre côté ; merci de "
        "vérifier le numéro de commande.",
        "Je n'ai pas pu localiser {ref} ; merci de m'envoyer le numéro de commande exactement "
        "comme il figure dans votre e-mail de confirmation.",
    ],
    "ref.missing": [
        "Pourriez-vous m'envoyer votre numéro de commande afin que je puisse consulter la "
        "commande ?",
        "Pour aller plus loin, j'ai besoin du numéro de commande figurant dans votre e-mail de "
        "confirmation.",
        "Merci de me répondre avec votre numéro de commande ; sans lui, je ne peux pas retrouver "
        "la commande.",
        "Pourriez-vous me communiquer le numéro de commande ? Vous le trouverez dans l'e-mail de "
        "confirmation.",
    ],
    "cite.first": [
        "Notre politique « {title} » prévoit : {q}",
        "Voici ce que dit notre politique de service client : {q}",
        "La règle applicable ({title}) est la suivante : {q}", "Selon notre politique : {q}",
        "La section {number} de notre politique, {title}, indique : {q}",
        "Nos conditions sont claires sur ce point : {q}",
        "Votre cas relève de notre règle « {title} » : {q}",
        "Pour votre situation, la règle suivante s'applique : {q}",
    ],
    "cite.more": [
        "Par ailleurs : {q}", "Il existe aussi la règle « {title} » : {q}",
        "Un autre point compte ici : {q}", "Notre politique précise également : {q}",
        "La section {number} ajoute : {q}",
    ],
    "next.return_request": [
        "Merci d'emballer l'article {product} avec tous ses accessoires et de le renvoyer avec "
        "l'étiquette de retour que je vous envoie par e-mail.",
        "Dès que l'article {product} arrivera à notre centre de retour, il sera contrôlé et nous "
        "reviendrons vers vous.",
        "Je vous envoie une étiquette de retour par e-mail aujourd'hui.",
    ],
    "next.refund_status": [
        "J'ai demandé à notre service comptable de vérifier le remboursement et je reviens vers "
        "vous.",
        "Dès que le remboursement sera validé, vous recevrez un e-mail de confirmation.",
        "Si le remboursement a déjà été émis, il peut falloir quelques jours avant qu'il "
        "n'apparaisse sur votre relevé.",
    ],
    "next.shipping_delay": [
        "J'ai ouvert une enquête auprès du transporteur.",
        "Je surveille le suivi et vous contacte dès que le colis bouge.",
        "Si le colis ne réapparaît pas, nous trouverons une solution avec vous.",
    ],
    "next.damaged_item": [
        "Merci de nous envoyer des photos de l'appareil et de l'emballage.",
        "Nous organisons l'enlèvement de l'article endommagé.",
        "Dès réception des photos, nous nous occupons du reste.",
    ],
    "next.warranty_claim": [
        "Merci de nous envoyer une brève description de la panne et, si possible, une photo ou "
        "une vidéo.",
        "Nous vous enverrons une étiquette prépayée pour que l'appareil parte dans notre centre "
        "de réparation.",
        "Nos techniciens examineront l'appareil et vous informeront du résultat.",
    ],
    "next.billing_dispute": [
        "J'ai transmis votre dossier à notre service de facturation pour vérification.",
        "Notre service de facturation vérifiera le prélèvement et le corrigera s'il est erroné.",
        "Vous recevrez une réponse écrite de notre service de facturation.",
    ],
    "next.account_access": [
        "Je vous ai envoyé un nouveau lien de réinitialisation à l'adresse e-mail enregistrée.",
        "Merci d'ouvrir le lien dans une fenêtre de navigation privée.",
        "Si le lien ne fonctionne toujours pas, répondez à cet e-mail et nous examinerons le "
        "compte.",
    ],
    "next.privacy_request": [
        "Pour protéger vos données, nous devons d'abord confirmer votre identité.",
        "Une fois votre identité confirmée, nous traiterons la demande et vous le confirmerons "
        "par écrit.",
        "Vous recevrez un e-mail de confirmation lorsque la demande aura été traitée.",
    ],
    "next.complaint": [
        "J'ai transmis votre dossier à une collègue expérimentée qui va l'examiner.",
        "Je vais suivre votre dossier personnellement.",
        "Nous reviendrons vers vous avec une réponse complète dès que possible.",
    ],
    "tier.plus": ["Votre abonnement Plus est noté dans ce dossier."],
    "tier.business": [
        "Votre dossier est signalé comme compte professionnel.",
        "Votre compte étant un compte Business, votre dossier est traité par notre équipe dédiée "
        "aux entreprises.",
    ],
    "closing": [
        "Si vous avez d'autres questions, il vous suffit de répondre à cet e-mail.",
        "J'espère que cela vous aide, et je reste à votre disposition.",
        "N'hésitez pas à revenir vers moi.", "Merci de votre patience.",
        "Nous nous excusons pour la gêne occasionnée et vous remercions de votre compréhension.",
    ],
    "signoff": [
        "Cordialement,\n{agent}\nService client Voltora", "Bien à vous,\n{agent}, support Voltora",
        "Bien cordialement,\n{agent}\nÉquipe du service client, Voltora Electronics",
        "Sincères salutations,\n{agent}\nVoltora Electronics",
    ],
    "agent": ["Claire", "Julien", "Sophie", "Nicolas", "Élodie", "Mathieu", "Aurélie", "Thomas"],
}
# fmt: on
