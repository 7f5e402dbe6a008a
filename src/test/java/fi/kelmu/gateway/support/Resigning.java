package fi.kelmu.gateway.support;

import fi.kelmu.gateway.sandbox.SandboxPki;
import fi.kelmu.gateway.xml.Dom;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Base64;
import java.security.PrivateKey;
import java.util.List;
import org.apache.xml.security.c14n.Canonicalizer;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Rewrites the reference transforms of a WS-Security signature the way another SOAP stack writes them, and signs
 * it again (SHA-256 digests, RSA-SHA256, exclusive C14N) with the organisation's key, so that the message is validly signed with those transforms: how a test
 * reproduces what xml-crypto or .NET send without running them.
 */
public final class Resigning {

    private Resigning() {
    }

    /** Every reference of the message's signature gets {@code transforms}; then digests and signature are redone. */
    public static Document withTransforms(Document signed, String businessId, List<String> transforms) {
        org.apache.xml.security.Init.init();
        markIds(signed.getDocumentElement());
        Element signature = (Element) signed.getElementsByTagNameNS(Dom.DS_NS, "Signature").item(0);
        NodeList references = signature.getElementsByTagNameNS(Dom.DS_NS, "Reference");
        for (int i = 0; i < references.getLength(); i++) {
            Element reference = (Element) references.item(i);
            Element old = Dom.firstChild(reference, Dom.DS_NS, "Transforms");
            Element chain = signed.createElementNS(Dom.DS_NS, "ds:Transforms");
            for (String algorithm : transforms) {
                Element transform = signed.createElementNS(Dom.DS_NS, "ds:Transform");
                transform.setAttributeNS(null, "Algorithm", algorithm);
                chain.appendChild(transform);
            }
            if (old != null) {
                reference.replaceChild(chain, old);
            } else {
                reference.insertBefore(chain, reference.getFirstChild());
            }
        }
        try {
            // each reference's element is within the Envelope, outside the Signature: the enveloped-signature
            // transform removes nothing from it, so its digest is that of its exclusive canonical form
            Canonicalizer exclusive = Canonicalizer.getInstance(Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
            for (int i = 0; i < references.getLength(); i++) {
                Element reference = (Element) references.item(i);
                Element target = signed.getElementById(reference.getAttribute("URI").substring(1));
                ByteArrayOutputStream canonical = new ByteArrayOutputStream();
                exclusive.canonicalizeSubtree(target, canonical);
                Dom.firstChild(reference, Dom.DS_NS, "DigestValue").setTextContent(Base64.getEncoder().encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(canonical.toByteArray())));
            }
            ByteArrayOutputStream signedInfo = new ByteArrayOutputStream();
            exclusive.canonicalizeSubtree(Dom.firstChild(signature, Dom.DS_NS, "SignedInfo"), signedInfo);
            PrivateKey key = (PrivateKey) Signing.keyStoreOf(businessId).getKey(businessId, SandboxPki.PASSWORD);
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signedInfo.toByteArray());
            Dom.firstChild(signature, Dom.DS_NS, "SignatureValue").setTextContent(
                    Base64.getEncoder().encodeToString(rsa.sign()));
        } catch (GeneralSecurityException | org.apache.xml.security.exceptions.XMLSecurityException e) {
            throw new IllegalStateException("re-signing failed: " + e.getMessage(), e);
        }
        return signed;
    }

    /**
     * Turns every signed part's {@code wsu:Id} into a bare {@code Id} attribute, as xml-crypto (node {@code soap})
     * writes them; call {@link #withTransforms} afterwards to sign the message again.
     */
    public static Document withBareIds(Document signed) {
        Element signature = (Element) signed.getElementsByTagNameNS(Dom.DS_NS, "Signature").item(0);
        NodeList references = signature.getElementsByTagNameNS(Dom.DS_NS, "Reference");
        for (int i = 0; i < references.getLength(); i++) {
            String id = ((Element) references.item(i)).getAttribute("URI").substring(1);
            Element target = find(signed.getDocumentElement(), id);
            target.removeAttributeNS(Dom.WSU_NS, "Id");
            target.setAttributeNS(null, "Id", id);
        }
        return signed;
    }

    private static Element find(Element element, String id) {
        if (id.equals(element.getAttributeNS(Dom.WSU_NS, "Id"))) {
            return element;
        }
        for (Element child : Dom.children(element)) {
            Element found = find(child, id);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Santuario resolves {@code #id} references by DOM Id-ness: declare every wsu:Id and bare Id as one. */
    private static void markIds(Element element) {
        if (element.hasAttributeNS(Dom.WSU_NS, "Id")) {
            element.setIdAttributeNS(Dom.WSU_NS, "Id", true);
        } else if (element.hasAttributeNS(null, "Id")) {
            element.setIdAttributeNS(null, "Id", true);
        }
        for (Element child : Dom.children(element)) {
            markIds(child);
        }
    }
}
