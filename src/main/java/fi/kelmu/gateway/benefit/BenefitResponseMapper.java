package fi.kelmu.gateway.benefit;

import fi.kelmu.contract.backend.v1.BenefitDataResult;
import fi.kelmu.contract.backend.v1.DateRange;
import fi.kelmu.contract.benefit.v1.BasicSocialAssistance;
import fi.kelmu.contract.benefit.v1.BenefitDecision;
import fi.kelmu.contract.benefit.v1.BenefitDecisions;
import fi.kelmu.contract.benefit.v1.BenefitView;
import fi.kelmu.contract.benefit.v1.DrugCostCeiling;
import fi.kelmu.contract.benefit.v1.DrugCostCeilings;
import fi.kelmu.contract.benefit.v1.GetBasicSocialAssistanceResponse;
import fi.kelmu.contract.benefit.v1.GetBenefitDataResponse;
import fi.kelmu.contract.benefit.v1.InsuranceStatus;
import fi.kelmu.contract.benefit.v1.OverpaymentRecoveries;
import fi.kelmu.contract.benefit.v1.OverpaymentRecovery;
import fi.kelmu.contract.benefit.v1.Payment;
import fi.kelmu.contract.benefit.v1.Payments;
import fi.kelmu.contract.benefit.v1.PendingApplication;
import fi.kelmu.contract.benefit.v1.PendingApplications;
import fi.kelmu.contract.benefit.v1.SocialAssistanceDecision;
import fi.kelmu.contract.common.v1.Period;
import java.util.List;

/**
 * Maps the backend's answer to the public contract. Only the views that were asked for are mapped, so
 * a response never carries more than the purpose allowed (R-VIEW-1..3).
 */
public final class BenefitResponseMapper {

    public GetBenefitDataResponse benefitData(BenefitRequest request, BenefitDataResult result) {
        GetBenefitDataResponse response = new GetBenefitDataResponse();
        response.setClientId(request.personId());
        response.setPurpose(request.purpose());
        for (String view : request.views()) {
            BenefitView v = BenefitView.fromValue(view);
            response.getReturnedView().add(v);
            switch (v) {
                case PENDING_APPLICATIONS -> response.setPendingApplications(applications(result));
                case BENEFIT_DECISIONS -> response.setBenefitDecisions(decisions(result));
                case PAYMENTS -> {
                    Payments payments = new Payments();
                    payments.getPayment().addAll(payments(result.getPayment()));
                    response.setPayments(payments);
                }
                case INSURANCE_STATUS -> response.setInsuranceStatus(insurance(result));
                case OVERPAYMENT_RECOVERY -> response.setOverpaymentRecovery(recoveries(result));
                case DRUG_COST_CEILING -> response.setDrugCostCeiling(ceilings(result));
                default -> throw new IllegalStateException("unmapped view " + v);
            }
        }
        return response;
    }

    public GetBasicSocialAssistanceResponse basicSocialAssistance(BenefitRequest request, BenefitDataResult result) {
        GetBasicSocialAssistanceResponse response = new GetBasicSocialAssistanceResponse();
        response.setClientId(request.personId());
        response.setPurpose(request.purpose());
        BasicSocialAssistance assistance = new BasicSocialAssistance();
        for (var d : result.getSocialAssistanceDecision()) {
            SocialAssistanceDecision decision = new SocialAssistanceDecision();
            decision.setDecisionId(d.getId());
            decision.setDecisionDate(d.getDecided());
            decision.setOutcome(d.getOutcome());
            decision.setPeriod(period(d.getPeriod()));
            decision.setHouseholdSize(d.getHouseholdSize());
            decision.setGrantedAmount(d.getGranted());
            decision.setReducedBasicAmount(d.isReducedBasicAmount());
            decision.setMunicipality(d.getMunicipality());
            assistance.getDecision().add(decision);
        }
        assistance.getPayment().addAll(payments(result.getSocialAssistancePayment()));
        response.setBasicSocialAssistance(assistance);
        return response;
    }

    private static PendingApplications applications(BenefitDataResult result) {
        PendingApplications out = new PendingApplications();
        for (var a : result.getApplication()) {
            PendingApplication application = new PendingApplication();
            application.setApplicationId(a.getId());
            application.setBenefit(a.getBenefitCode());
            application.setBenefitName(a.getBenefitName());
            application.setReceivedDate(a.getReceived());
            application.setStatus(a.getState());
            if (a.getAppliedFrom() != null) {
                Period p = new Period();
                p.setStart(a.getAppliedFrom());
                p.setEnd(a.getAppliedTo());
                application.setAppliedPeriod(p);
            }
            out.getApplication().add(application);
        }
        return out;
    }

    private static BenefitDecisions decisions(BenefitDataResult result) {
        BenefitDecisions out = new BenefitDecisions();
        for (var d : result.getDecision()) {
            BenefitDecision decision = new BenefitDecision();
            decision.setDecisionId(d.getId());
            decision.setBenefit(d.getBenefitCode());
            decision.setBenefitName(d.getBenefitName());
            decision.setDecisionDate(d.getDecided());
            decision.setOutcome(d.getOutcome());
            decision.setPeriod(period(d.getPeriod()));
            decision.setMonthlyAmount(d.getMonthlyAmount());
            out.getDecision().add(decision);
        }
        return out;
    }

    private static List<Payment> payments(List<fi.kelmu.contract.backend.v1.Payment> source) {
        return source.stream().map(p -> {
            Payment payment = new Payment();
            payment.setPaymentDate(p.getPaid());
            payment.setBenefit(p.getBenefitCode());
            payment.setBenefitName(p.getBenefitName());
            payment.setPeriod(period(p.getPeriod()));
            payment.setGrossAmount(p.getGross());
            payment.setWithholdingTax(p.getTax());
            payment.setNetAmount(p.getNet());
            payment.setPaidTo(p.getPayee());
            return payment;
        }).toList();
    }

    private static InsuranceStatus insurance(BenefitDataResult result) {
        var i = result.getInsurance();
        if (i == null) {
            return null;
        }
        InsuranceStatus status = new InsuranceStatus();
        status.setCoveredBySocialSecurity(i.isInsured());
        status.setBasis(i.getBasis());
        status.setValidity(period(i.getValidity()));
        status.setDecisionDate(i.getDecided());
        return status;
    }

    private static OverpaymentRecoveries recoveries(BenefitDataResult result) {
        OverpaymentRecoveries out = new OverpaymentRecoveries();
        for (var r : result.getRecovery()) {
            OverpaymentRecovery recovery = new OverpaymentRecovery();
            recovery.setRecoveryId(r.getId());
            recovery.setBenefit(r.getBenefitCode());
            recovery.setBenefitName(r.getBenefitName());
            recovery.setDecisionDate(r.getDecided());
            recovery.setOverpaidPeriod(period(r.getOverpaidPeriod()));
            recovery.setOriginalAmount(r.getOriginal());
            recovery.setOutstandingAmount(r.getOutstanding());
            recovery.setStatus(r.getState());
            out.getRecovery().add(recovery);
        }
        return out;
    }

    private static DrugCostCeilings ceilings(BenefitDataResult result) {
        DrugCostCeilings out = new DrugCostCeilings();
        for (var c : result.getDrugCostCeiling()) {
            DrugCostCeiling ceiling = new DrugCostCeiling();
            ceiling.setYear(c.getYear());
            ceiling.setCeilingAmount(c.getCeiling());
            ceiling.setAccumulatedAmount(c.getAccumulated());
            ceiling.setCeilingReachedDate(c.getReached());
            out.getCeiling().add(ceiling);
        }
        return out;
    }

    private static Period period(DateRange range) {
        Period p = new Period();
        p.setStart(range.getFrom());
        p.setEnd(range.getTo());
        return p;
    }
}
