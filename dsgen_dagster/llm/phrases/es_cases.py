"""Spanish customer-email phrases per ticket type: what happened, the details a customer adds,
the subject line. Template text of the offline provider, not model output.
"""

# fmt: off
CASES: dict[str, list[str]] = {
    "situation.return_request": [
        "Quiero devolver mi {product} porque no es lo que esperaba.",
        "Al final mi {product} no se ajusta a lo que necesito, así que quiero devolverlo.",
        "He cambiado de opinión sobre el artículo {product} y me gustaría devolverlo.",
        "Después de probar el aparato {product} unos días, he decidido que no es para mí.",
        "Compré el artículo {product} como regalo, pero la persona ya tenía uno.",
        "El aparato {product} no funciona con el resto de mi equipo, así que tiene que volver.",
        "Pedí el artículo {product} por error y prefiero no quedármelo.",
        "El aparato {product} funciona, pero no hace lo que necesitaba.",
    ],
    "situation.refund_status": [
        "Devolví el artículo {product} hace tiempo y todavía no he visto el reembolso.",
        "El reembolso del artículo {product} aún no ha llegado a mi cuenta.",
        "Confirmaron que recibieron el aparato {product}, pero no me han devuelto el dinero.",
        "Sigo esperando el reembolso que me prometieron por el artículo {product}.",
        "En mi extracto bancario no aparece ningún reembolso por el aparato {product}, aunque lo "
        "devolví.",
        "Me gustaría saber qué pasa con el reembolso de mi {product}.",
        "El reembolso del artículo {product} parece atascado en algún punto entre ustedes y mi "
        "banco.",
    ],
    "situation.shipping_delay": [
        "Mi {product} todavía no ha llegado.",
        "La entrega del artículo {product} está tardando mucho más de lo que me dijeron.",
        "Llevo demasiado tiempo esperando el artículo {product}.",
        "El seguimiento de mi paquete no cambia desde hace días.",
        "El aparato {product} ya debería estar aquí, pero no hay ni rastro.",
        "Miro la página de seguimiento una y otra vez, pero mi paquete no se mueve.",
        "La fecha de entrega prevista para el artículo {product} ya pasó hace tiempo.",
    ],
    "situation.damaged_item": [
        "El artículo {product} llegó dañado.",
        "Al abrir la caja, el aparato {product} estaba roto.",
        "La carcasa del aparato {product} está agrietada y la caja venía abollada.",
        "Por desgracia, el aparato {product} tiene un arañazo profundo y una esquina doblada.",
        "El paquete llegó aplastado y el aparato {product} no funciona.",
        "El artículo {product} que recibí está visiblemente dañado, y es muy decepcionante.",
        "Algo sonaba suelto dentro de la caja, y ahora el aparato {product} no enciende.",
    ],
    "situation.warranty_claim": [
        "Mi {product} ha dejado de funcionar bien.",
        "El aparato {product} empezó a fallar tras unos meses de uso normal.",
        "El aparato {product} se apaga solo de forma aleatoria y creo que está defectuoso.",
        "El aparato {product} ya no carga, aunque siempre lo he tratado con cuidado.",
        "Mi {product} tiene un defecto: se reinicia solo una y otra vez.",
        "Mi {product} ha dejado de funcionar de repente y ya no enciende.",
        "El aparato {product} hace un ruido extraño y se para a los pocos minutos.",
    ],
    "situation.billing_dispute": [
        "Me han cobrado más de lo que esperaba por mi pedido.",
        "Veo dos cargos en mi tarjeta por la misma compra.",
        "El importe cobrado no coincide con lo que vi al pagar.",
        "En mi extracto aparece un pago a Voltora que no reconozco.",
        "Mi factura muestra un precio más alto que el de su web cuando compré.",
        "Creo que me han cobrado dos veces el artículo {product}.",
        "Me cobraron el artículo {product} aunque pensaba que la compra estaba cancelada.",
    ],
    "situation.account_access": [
        "Ya no puedo iniciar sesión en mi cuenta de Voltora.",
        "Mi cuenta está bloqueada y no sé por qué.",
        "El enlace para restablecer la contraseña que me envían no funciona.",
        "Cada vez que intento entrar, me sale un mensaje de error.",
        "Ya no tengo acceso a mi cuenta de cliente.",
        "Nunca me llega el correo para restablecer la contraseña, así que no puedo entrar en mi "
        "cuenta.",
        "Mi inicio de sesión dejó de funcionar justo después de cambiar la contraseña.",
    ],
    "situation.privacy_request": [
        "Tengo una pregunta sobre los datos personales que guardan sobre mí.",
        "Me preocupa cuánta información personal hay almacenada en mi cuenta.",
        "Quiero ejercer mis derechos sobre los datos vinculados a mi cuenta.",
        "Me pongo en contacto con ustedes por mis datos personales.",
        "Después de leer sobre filtraciones de datos, quiero recuperar el control de mis datos.",
        "Estoy revisando mis cuentas en línea, y mi cuenta de Voltora es una de ellas.",
    ],
    "situation.complaint": [
        "La forma en que han gestionado mi compra me parece muy mala.",
        "Su servicio ha sido decepcionante de principio a fin.",
        "Me he puesto en contacto varias veces y nadie ha resuelto mi problema.",
        "Llevo años comprando con ustedes, pero esta experiencia ha sido frustrante.",
        "Sinceramente, todo lo relacionado con mi {product} ha sido un caos.",
        "En Voltora nadie parece hacerse cargo de mi caso.",
        "El servicio que he recibido con mi {product} es decepcionante.",
    ],
    "detail.return_request": [
        "El artículo {product} está como nuevo.",
        "He guardado todos los accesorios y la caja original.",
        "Que yo sepa, el plazo de devolución es de {window} días.",
    ],
    "detail.refund_status": [
        "El seguimiento muestra que el paquete les llegó.", "Lo devolví con la etiqueta prepagada.",
        "Reviso mi cuenta todos los días.",
    ],
    "detail.shipping_delay": [
        "Lo necesitaba para una fecha concreta.",
        "El enlace de seguimiento que me enviaron no lleva a ninguna parte.",
        "La empresa de transporte no se ha puesto en contacto conmigo.",
    ],
    "detail.damaged_item": [
        "Hice fotos de la caja y del aparato enseguida.",
        "La caja exterior ya venía rota cuando el repartidor me la entregó.",
        "No lo he usado en absoluto.",
    ],
    "detail.warranty_claim": [
        "No se me ha caído ni se ha mojado.", "Ya probé a restablecerlo por completo, sin éxito.",
        "Debería seguir dentro de la garantía de {warranty} meses.",
    ],
    "detail.billing_dispute": [
        "Tengo una captura de pantalla del precio al pagar.",
        "Mi banco dice que el cargo viene de Voltora.", "Solo hice un pedido.",
    ],
    "detail.account_access": [
        "Lo he intentado con dos navegadores distintos.", "También he revisado la carpeta de spam.",
        "Mi dirección de correo no ha cambiado.",
    ],
    "detail.privacy_request": [
        "Les escribo desde la dirección de correo registrada en mi cuenta.",
        "Me gustaría recibir una confirmación por escrito cuando todo esté resuelto.",
        "Entiendo que primero tengan que verificar mi identidad.",
    ],
    "detail.complaint": [
        "Ya he perdido horas con esto.", "Me prometieron una llamada que nunca llegó.",
        "Este no es el nivel de servicio que espero de ustedes.",
    ],
    "subject.return_request": [
        "Devolución de mi {product}", "Solicitud de devolución: {product}",
        "Quiero devolver un artículo", "¿Cómo devuelvo el artículo {product}?",
        "Devolución de mi última compra", "Devolver {product}",
    ],
    "subject.refund_status": [
        "¿Dónde está mi reembolso?", "Reembolso de {product} pendiente",
        "Sigo esperando mi reembolso", "Estado de mi reembolso", "Aún sin reembolso por {product}",
        "Consulta sobre un reembolso pendiente",
    ],
    "subject.shipping_delay": [
        "Mi {product} no ha llegado", "Entrega retrasada", "¿Dónde está mi paquete?",
        "Todavía sin entregar", "Retraso en la entrega de {product}",
        "Sin novedades en el seguimiento desde hace días",
    ],
    "subject.damaged_item": [
        "{product} llegó dañado", "Entrega dañada", "He recibido un artículo roto",
        "Problema con un {product} dañado", "Mi paquete llegó aplastado",
        "Artículo dañado en el transporte",
    ],
    "subject.warranty_claim": [
        "Reclamación de garantía: {product}", "{product} ha dejado de funcionar",
        "{product} defectuoso", "{product} averiado: garantía", "Solicitud de reparación",
        "Mi {product} está roto",
    ],
    "subject.billing_dispute": [
        "Cargo incorrecto", "¿Cobro duplicado?", "Pregunta sobre mi factura",
        "Importe cobrado incorrecto", "Pago desconocido en mi tarjeta",
        "Problema de facturación con mi compra",
    ],
    "subject.account_access": [
        "No puedo iniciar sesión", "Cuenta bloqueada",
        "No funciona el restablecimiento de contraseña", "Problema de acceso a la cuenta",
        "Problema al entrar", "Ayuda para acceder a mi cuenta",
    ],
    "subject.privacy_request": [
        "Solicitud sobre mis datos personales", "Consulta sobre mis datos",
        "Solicitud de protección de datos", "Mi información personal",
        "Pregunta sobre mis datos almacenados", "Solicitud según el RGPD",
    ],
    "subject.complaint": [
        "Reclamación formal", "Muy decepcionante", "Queja sobre su servicio",
        "Gestión inaceptable de mi compra", "Descontento con Voltora", "Queja sobre mi {product}",
    ],
}
# fmt: on
