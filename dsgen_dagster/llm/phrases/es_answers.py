"""Spanish agent-answer phrases. Template text of the offline provider, not model output.

`{q}` is a verbatim policy quote in quotation marks; `{title}` and `{number}` name its clause.
Policy text stays English, as the shipped policy is English.
"""

# fmt: off
ANSWER: dict[str, list[str]] = {
    "greeting": [
        "Hola, {first}:", "Hola, {full}:", "Buenos días, {first}:", "Buenas tardes, {first}:",
        "Hola {first},",
    ],
    "thanks": [
        "Gracias por ponerse en contacto con el servicio de atención al cliente de Voltora.",
        "Gracias por escribirnos.", "Gracias por su mensaje.", "Muchas gracias por contactarnos.",
        "Le agradecemos su mensaje.", "Gracias por avisarnos.",
    ],
    "ack.return_request": [
        "Entiendo que desea devolver su {product}.",
        "Lamentamos que su {product} no le haya convencido.",
        "Vamos a revisar juntos la devolución del artículo {product}.",
    ],
    "ack.refund_status": [
        "Entiendo que está esperando el reembolso de su {product}.",
        "Lamentamos que el reembolso esté tardando más de lo previsto.",
        "He comprobado en qué punto está su reembolso.",
    ],
    "ack.shipping_delay": [
        "Lamentamos que su {product} todavía no le haya llegado.",
        "Entiendo lo frustrante que es esperar una entrega.",
        "He revisado la entrega de su {product}.",
    ],
    "ack.damaged_item": [
        "Sentimos mucho que su {product} llegara dañado.",
        "Su {product} nunca debería haberle llegado en ese estado.",
        "Gracias por informarnos del daño tan rápido.",
    ],
    "ack.warranty_claim": [
        "Lamentamos saber que su {product} tiene un defecto.",
        "Gracias por describir el problema de su {product}.",
        "Nuestro proceso de garantía existe precisamente para averías como esta.",
    ],
    "ack.billing_dispute": [
        "Entiendo que hay un problema con el importe que se le cobró.",
        "Lamentamos la confusión con el cargo.", "He revisado la facturación de su compra.",
    ],
    "ack.account_access": [
        "Lamentamos que no pueda acceder a su cuenta.",
        "Quedarse fuera de la cuenta es molesto, y le ayudaremos a volver a entrar.",
        "Entiendo que tiene problemas para iniciar sesión.",
    ],
    "ack.privacy_request": [
        "Gracias por su solicitud sobre sus datos personales.",
        "Nos tomamos muy en serio las solicitudes sobre datos personales.",
        "He registrado su solicitud sobre sus datos.",
    ],
    "ack.complaint": [
        "Lamentamos que su experiencia con nosotros haya sido tan decepcionante.",
        "Entiendo su frustración y le pido disculpas.",
        "Gracias por decirnos claramente qué ha fallado.",
    ],
    "status.delivered": [
        "Según nuestros registros, el pedido se entregó el {delivery_date}.",
        "Veo que el paquete se entregó el {delivery_date}.",
        "Según nuestro sistema, el pedido ya se entregó.",
    ],
    "status.shipped": [
        "Veo que el pedido ya se envió.",
        "El pedido salió de nuestro almacén y está con la empresa de transporte.",
    ],
    "status.processing": [
        "El pedido todavía se está procesando en nuestro almacén.",
        "Veo que el pedido aún no ha salido de nuestro almacén.",
    ],
    "status.returned": [
        "Veo que la devolución está registrada.",
        "Nuestro sistema indica que el artículo ya nos ha llegado.",
    ],
    "status.cancelled": [
        "Veo que el pedido se canceló.", "Nuestro sistema muestra el pedido como cancelado.",
    ],
    "ref.given": [
        "He encontrado su pedido {ref}.", "He consultado el pedido {ref}.",
        "Tengo delante su pedido {ref}.", "Gracias por indicar el número de pedido {ref}.",
    ],
    "ref.unclear": [
        "No he encontrado ningún pedido con {ref}; ¿podría comprobar el número de pedido?",
        "La referencia {ref} no coincide con ningún pedido que yo vea, así que le ruego que "
        "revise el número de pedido.",
        "No he podido localizar {ref}; envíeme el número de pedido tal como aparece en su correo "
        "de confirmación.",
    ],
    "ref.missing": [
        "¿Podría enviarme su número de pedido para que pueda revisar el pedido?",
        "Para continuar necesito el número de pedido que aparece en su correo de confirmación.",
        "Responda, por favor, con su número de pedido; sin él no puedo localizar el pedido.",
        "¿Me podría facilitar el número de pedido? Lo encontrará en el correo de confirmación.",
    ],
    "cite.first": [
        "Nuestra política «{title}» establece: {q}",
        "Esto es lo que dice nuestra política de atención al cliente: {q}",
        "La norma aplicable ({title}) dice: {q}", "Según nuestra política: {q}",
        "La sección {number} de nuestra política, {title}, indica: {q}",
        "Nuestras condiciones son claras en este punto: {q}",
        "Su caso está cubierto por nuestra norma «{title}»: {q}",
        "En su caso se aplica la siguiente norma: {q}",
    ],
    "cite.more": [
        "Además: {q}", "También existe la norma «{title}»: {q}", "Aquí importa otro punto: {q}",
        "Nuestra política también dice: {q}", "La sección {number} añade: {q}",
    ],
    "next.return_request": [
        "Embale el artículo {product} con todos sus accesorios y envíelo con la etiqueta de "
        "devolución que le mandaré por correo.",
        "Cuando el artículo {product} llegue a nuestro centro de devoluciones, lo revisaremos y "
        "le informaremos.",
        "Hoy mismo le envío una etiqueta de devolución por correo.",
    ],
    "next.refund_status": [
        "He pedido a nuestro equipo de facturación que revise el reembolso y volveré a escribirle.",
        "En cuanto se libere el reembolso, recibirá un correo de confirmación.",
        "Si el reembolso ya se ha emitido, puede tardar unos días en aparecer en su extracto.",
    ],
    "next.shipping_delay": [
        "He abierto una investigación con la empresa de transporte.",
        "Seguiré el envío y le escribiré en cuanto se mueva.",
        "Si el paquete no aparece, buscaremos una solución con usted.",
    ],
    "next.damaged_item": [
        "Envíenos fotos del aparato y del embalaje, por favor.",
        "Organizaremos la recogida del artículo dañado.",
        "En cuanto tengamos las fotos, nos encargaremos del resto.",
    ],
    "next.warranty_claim": [
        "Envíenos una breve descripción de la avería y, si es posible, una foto o un vídeo.",
        "Le enviaremos una etiqueta prepagada para que el aparato vaya a nuestro centro de "
        "reparación.",
        "Nuestro equipo técnico revisará el aparato y le comunicará el resultado.",
    ],
    "next.billing_dispute": [
        "He trasladado su caso a nuestro equipo de facturación para que lo revise.",
        "Nuestro equipo de facturación revisará el cargo y lo corregirá si es erróneo.",
        "Recibirá una respuesta por escrito de nuestro equipo de facturación.",
    ],
    "next.account_access": [
        "Le he enviado un nuevo enlace para restablecer la contraseña a la dirección de correo "
        "registrada.",
        "Abra el enlace en una ventana de navegación privada, por favor.",
        "Si el enlace sigue sin funcionar, responda a este correo y revisaremos la cuenta.",
    ],
    "next.privacy_request": [
        "Para proteger sus datos, primero debemos confirmar su identidad.",
        "Una vez confirmada su identidad, tramitaremos la solicitud y se lo confirmaremos por "
        "escrito.",
        "Recibirá un correo de confirmación cuando la solicitud esté completada.",
    ],
    "next.complaint": [
        "He pasado su caso a una compañera con experiencia que lo revisará.",
        "Me encargaré personalmente de su caso.",
        "Le escribiremos con una respuesta completa lo antes posible.",
    ],
    "tier.plus": ["Su suscripción Plus consta en este caso."],
    "tier.business": [
        "Su caso está marcado como cuenta de empresa.",
        "Al tratarse de una cuenta Business, su caso lo gestiona nuestro equipo de empresas.",
    ],
    "closing": [
        "Si tiene más preguntas, basta con responder a este correo.",
        "Espero que esto le ayude; quedo a su disposición para lo que necesite.",
        "No dude en volver a escribirme.", "Gracias por su paciencia.",
        "Disculpe las molestias y gracias por su comprensión.",
    ],
    "signoff": [
        "Un cordial saludo,\n{agent}\nAtención al cliente de Voltora",
        "Saludos,\n{agent}, soporte de Voltora",
        "Atentamente,\n{agent}\nEquipo de atención al cliente, Voltora Electronics",
        "Saludos cordiales,\n{agent}\nVoltora Electronics",
    ],
    "agent": ["Carmen", "Javier", "Laura", "Sergio", "Marta", "Alejandro", "Raquel", "David"],
}
# fmt: on
