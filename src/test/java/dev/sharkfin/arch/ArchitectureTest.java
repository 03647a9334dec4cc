package dev.sharkfin.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package rules that keep the data path {@code api → job → capture → dissect → tcp → normalize → index} pointing
 * one way (see each package's {@code package-info.java} and the README's code map). Main classes only: tests may
 * reach across packages to set things up.
 *
 * <p>A rule that fails names the class and the dependency that broke it. Change a rule only with the architecture:
 * a new dependency that a rule forbids belongs in the package that is allowed to have it.
 */
@AnalyzeClasses(packages = "dev.sharkfin", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule onlyCaptureTouchesPcap4j = noClasses()
            .that().resideOutsideOfPackage("dev.sharkfin.capture..")
            .should().dependOnClassesThat().resideInAPackage("org.pcap4j..")
            .because("libpcap is read in one place: capture's PacketSource and LiveCapture hand out Frames");

    @ArchTest
    static final ArchRule onlyIndexTouchesTheElasticsearchClient = noClasses()
            .that().resideOutsideOfPackage("dev.sharkfin.index..")
            .should().dependOnClassesThat().resideInAnyPackage("co.elastic.clients..", "org.elasticsearch..")
            .because("Elasticsearch is reached through index's PacketIndex, PacketSink, PacketStats and JobDocuments");

    @ArchTest
    static final ArchRule packetPathStaysBelowTheService = noClasses()
            .that().resideInAnyPackage("dev.sharkfin.dissect..", "dev.sharkfin.tcp..", "dev.sharkfin.normalize..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.sharkfin.api..", "dev.sharkfin.job..",
                    "dev.sharkfin.kibana..", "dev.sharkfin.security..", "dev.sharkfin.index..",
                    "dev.sharkfin.capture..")
            .because("dissection, TCP analysis and the documents are pure functions of the packets: "
                    + "no HTTP, no jobs, no storage");

    @ArchTest
    static final ArchRule dissectIsTheBottom = noClasses()
            .that().resideInAPackage("dev.sharkfin.dissect..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.sharkfin.tcp..", "dev.sharkfin.normalize..")
            .because("decoders know bytes only; TCP analysis and documents are built on top of them");

    @ArchTest
    static final ArchRule storageAndSourcesDoNotReachUp = noClasses()
            .that().resideInAnyPackage("dev.sharkfin.capture..", "dev.sharkfin.index..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.sharkfin.api..", "dev.sharkfin.job..",
                    "dev.sharkfin.kibana..", "dev.sharkfin.security..")
            .because("capture and index serve the job; they never call back into it or into the web layer");

    @ArchTest
    static final ArchRule jobDoesNotReachTheWebLayer = noClasses()
            .that().resideInAPackage("dev.sharkfin.job..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.sharkfin.api..", "dev.sharkfin.kibana..",
                    "dev.sharkfin.security..")
            .because("jobs run without HTTP: the controllers call the job package, never the other way round");

    @ArchTest
    static final ArchRule securityStandsAlone = noClasses()
            .that().resideInAPackage("dev.sharkfin.security..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.sharkfin.api..", "dev.sharkfin.job..",
                    "dev.sharkfin.capture..", "dev.sharkfin.dissect..", "dev.sharkfin.tcp..",
                    "dev.sharkfin.normalize..", "dev.sharkfin.index..", "dev.sharkfin.kibana..")
            .because("access rules are filters in front of every endpoint, independent of what the endpoints do");

    @ArchTest
    static final ArchRule noCyclesBetweenFeaturePackages = slices()
            .matching("dev.sharkfin.(*)..")
            .should().beFreeOfCycles();
}
